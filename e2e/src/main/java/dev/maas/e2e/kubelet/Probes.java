package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * HTTP(S) and TCP probes, sent from the host to the pod's address, as a kubelet sends them: an
 * HTTPS probe, like kubelet's, checks no certificate (there is no CA to check it against).
 */
final class Probes {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private static final HttpClient HTTPS =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .sslContext(trustingAnyCertificate())
          .build();

  private static SSLContext trustingAnyCertificate() {
    X509ExtendedTrustManager any =
        new X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) {}

          @Override
          public void checkClientTrusted(
              X509Certificate[] chain, String authType, SSLEngine engine) {}

          @Override
          public void checkServerTrusted(
              X509Certificate[] chain, String authType, SSLEngine engine) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {any}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Probes() {}

  static boolean succeeds(Probe probe, String podIp, Container container) {
    Duration timeout =
        Duration.ofSeconds(probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds());
    if (probe.getHttpGet() != null) {
      return httpGet(probe.getHttpGet(), podIp, container, timeout);
    }
    if (probe.getTcpSocket() != null) {
      try (Socket socket = new Socket()) {
        socket.connect(
            new InetSocketAddress(podIp, port(probe.getTcpSocket().getPort(), container)),
            (int) timeout.toMillis());
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    // exec and grpc probes need a runtime this double does not have: they pass.
    return true;
  }

  /** A kubelet counts 200-399 as success. */
  static boolean httpGet(
      HTTPGetAction action, String podIp, Container container, Duration timeout) {
    String path = Optional.ofNullable(action.getPath()).orElse("/");
    boolean https = "HTTPS".equals(action.getScheme());
    URI uri =
        URI.create(
            (https ? "https://" : "http://")
                + podIp
                + ":"
                + port(action.getPort(), container)
                + path);
    try {
      HttpResponse<Void> response =
          (https ? HTTPS : HTTP)
              .send(
                  HttpRequest.newBuilder(uri)
                      .timeout(timeout)
                      .header("User-Agent", "kube-probe/1.34")
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return response.statusCode() >= 200 && response.statusCode() < 400;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static int port(IntOrString port, Container container) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    List<ContainerPort> ports = Optional.ofNullable(container.getPorts()).orElse(List.of());
    return ports.stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no container port named " + port.getStrVal()));
  }
}
