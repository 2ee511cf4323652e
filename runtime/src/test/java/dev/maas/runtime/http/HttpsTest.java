package dev.maas.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import dev.maas.runtime.access.SecretVolume;
import dev.maas.runtime.server.ServeConfig;
import dev.maas.runtime.tls.TestCertificates;
import dev.maas.runtime.tls.TestCertificates.KeyKind;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS on the serving port from a kubernetes.io/tls Secret's files, with certificates openssl
 * made: each key encoding a Secret may hold, a renewal picked up by new connections while an open
 * one keeps working, and what a wrong client gets (plaintext, an old protocol, another SNI).
 */
class HttpsTest {
  private static final String ROW =
      "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,64],\"data\":"
          + "[0,0,0,1,1,0,0,0,0,0,1,1,1,1,0,0,0,0,1,0,0,1,0,0,0,0,0,0,1,1,0,0,"
          + "0,0,0,1,1,0,0,0,0,0,1,1,0,0,0,0,0,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0]}]}";

  @TempDir static Path temp;
  private static TestCertificates ca;

  @BeforeAll
  static void authority() throws Exception {
    ca = TestCertificates.authority(temp.resolve("ca"));
  }

  private static ServeConfig config(SecretVolume tls) {
    return TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 32)
        .withTls(tls.dir().resolve("tls.crt"), tls.dir().resolve("tls.key"));
  }

  private static SecretVolume tlsSecret(String name, TestCertificates.Issued issued)
      throws Exception {
    return new SecretVolume(temp.resolve(name))
        .write(Map.of("tls.crt", issued.certPem(), "tls.key", issued.keyPem()));
  }

  @Test
  void everyKeyEncodingATlsSecretHoldsServesHttpsAndTheWarmUpSpeaksItToo() throws Exception {
    for (KeyKind kind : KeyKind.values()) {
      SecretVolume secret = tlsSecret("kind-" + kind, ca.issue("digits-" + kind, kind));
      try (TestServer server =
          TestServer.start(config(secret).withWarmUp(Duration.ofMillis(500)))) {
        assertThat(server.server().servingPathWarmUp().orElseThrow().failure())
            .as(kind + " warm-up")
            .isEmpty();
        HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).build();
        HttpResponse<String> answer =
            client.send(
                HttpRequest.newBuilder(https(server, "/v2/models/digits/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString(ROW))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(kind.toString()).isEqualTo(200);
        assertThat(answer.body()).contains("\"outputs\"");
      }
    }
  }

  @Test
  void aRenewedCertificateServesNewConnectionsWhileAnOpenOneKeepsWorking() throws Exception {
    SecretVolume secret = tlsSecret("renewed", ca.issue("digits", KeyKind.RSA_PKCS1));
    try (TestServer server = TestServer.start(config(secret))) {
      SSLContext trust = ca.clientContext();
      try (SSLSocket open = connect(trust, server.port(), null)) {
        BigInteger first = serial(open);
        assertThat(exchange(open)).startsWith("HTTP/1.1 200");

        TestCertificates.Issued renewed = ca.issue("digits", KeyKind.EC_SEC1);
        secret.write(Map.of("tls.crt", renewed.certPem(), "tls.key", renewed.keyPem()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        BigInteger now = first;
        while (now.equals(first) && System.nanoTime() < deadline) {
          Thread.sleep(200);
          try (SSLSocket fresh = connect(trust, server.port(), null)) {
            now = serial(fresh);
          }
        }
        assertThat(now).as("a new connection's certificate").isNotEqualTo(first);
        assertThat(exchange(open)).as("the connection opened before").startsWith("HTTP/1.1 200");
      }
    }
  }

  @Test
  void wrongClientsAreAnsweredOrClosedCleanlyAndTheServerKeepsServing() throws Exception {
    SecretVolume secret = tlsSecret("wrong", ca.issue("digits", KeyKind.RSA_PKCS8));
    try (TestServer server = TestServer.start(config(secret))) {
      // Plaintext on the HTTPS port: told so, in plaintext.
      try (Socket plain = new Socket("127.0.0.1", server.port())) {
        plain.setSoTimeout(5000);
        OutputStream out = plain.getOutputStream();
        out.write(
            "GET /v2/health/ready HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String answer = new String(plain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).startsWith("HTTP/1.1 400").contains("this port speaks HTTPS");
      }
      // TLS 1.1: refused in the handshake (openssl, which can still speak it).
      Process old =
          new ProcessBuilder(
                  "openssl",
                  "s_client",
                  "-connect",
                  "127.0.0.1:" + server.port(),
                  "-tls1_1",
                  "-cipher",
                  "DEFAULT:@SECLEVEL=0")
              .redirectErrorStream(true)
              .start();
      old.getOutputStream().close();
      String handshake = new String(old.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(old.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(old.exitValue()).as(handshake).isNotZero();
      assertThat(handshake).contains("alert protocol version").contains("Cipher is (NONE)");
      // Another SNI: this server has one certificate and serves it (the client then checks it).
      try (SSLSocket other = connect(ca.clientContext(), server.port(), "other.example")) {
        assertThat(exchange(other)).startsWith("HTTP/1.1 200");
      }
      // A client that does not trust the issuer: its handshake fails; the server is unaffected.
      assertThatThrownBy(
              () -> {
                try (SSLSocket untrusting = connect(SSLContext.getDefault(), server.port(), null)) {
                  exchange(untrusting);
                }
              })
          .isInstanceOf(SSLHandshakeException.class);
      try (SSLSocket good = connect(ca.clientContext(), server.port(), null)) {
        assertThat(exchange(good)).startsWith("HTTP/1.1 200");
      }
    }
  }

  private static URI https(TestServer server, String path) {
    return URI.create("https://127.0.0.1:" + server.port() + path);
  }

  private static SSLSocket connect(SSLContext context, int port, String sni) throws Exception {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (sni != null) {
      parameters.setServerNames(List.of(new SNIHostName(sni)));
    }
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  private static BigInteger serial(SSLSocket socket) throws Exception {
    return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
  }

  /** One keep-alive request to the readiness endpoint; the status line of its answer. */
  private static String exchange(SSLSocket socket) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(
        "GET /v2/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    String status = in.readLine();
    int length = 0;
    for (String header = in.readLine();
        header != null && !header.isEmpty();
        header = in.readLine()) {
      if (header.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(header.substring(15).strip());
      }
    }
    in.skip(length);
    return status;
  }
}
