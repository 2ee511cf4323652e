package dev.maas.operator.canary;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pods' /metrics read over plain HTTP and over HTTPS with a certificate nobody here issued. */
class HttpPodScraperTest {
  private static final String METRICS =
      "maas_requests_total{model=\"digits\",outcome=\"ok\"} 7.0\n";

  private static void serve(HttpServer server) {
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = METRICS.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @Test
  void readsPlainAndTlsPodsAlike(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("pod.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "pod",
                "-keyalg",
                "EC",
                "-dname",
                "CN=digits.web.svc",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-validity",
                "1")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor()).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(keystore.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);

    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    HttpServer plain = HttpServer.create(loopback, 0);
    HttpsServer secure = HttpsServer.create(loopback, 0);
    secure.setHttpsConfigurator(new HttpsConfigurator(tls));
    serve(plain);
    serve(secure);
    try {
      Map<String, PodMetrics> read =
          new HttpPodScraper()
              .scrape(
                  Map.of(
                      "plain", "http://127.0.0.1:" + plain.getAddress().getPort(),
                      "tls", "https://127.0.0.1:" + secure.getAddress().getPort()));
      assertThat(read).containsOnlyKeys("plain", "tls");
      assertThat(read.get("tls")).isEqualTo(read.get("plain"));
    } finally {
      plain.stop(0);
      secure.stop(0);
    }
  }
}
