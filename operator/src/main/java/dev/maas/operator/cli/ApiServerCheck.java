package dev.maas.operator.cli;

import dev.maas.operator.api.CrdConstants;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * Asks the API server once, quickly, before the operator starts: the client's own retries would
 * otherwise keep a misconfigured operator silent for minutes.
 */
final class ApiServerCheck {
  private ApiServerCheck() {}

  /** Why the operator cannot work against this API server; empty when it can. */
  static Optional<String> problem(Config config) {
    Config once =
        new ConfigBuilder(config)
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(5_000)
            .withRequestTimeout(5_000)
            .build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(once).build()) {
      client.getKubernetesVersion();
      if (client.getApiGroup(CrdConstants.GROUP) == null) {
        return Optional.of(
            "the "
                + CrdConstants.PLURAL
                + "."
                + CrdConstants.GROUP
                + " CRD is not installed at "
                + config.getMasterUrl()
                + ": kubectl apply --server-side -f crds/");
      }
      return Optional.empty();
    } catch (KubernetesClientException e) {
      String reason =
          e.getCode() > 0 ? "HTTP " + e.getCode() + " " + e.getStatus().getMessage() : cause(e);
      return Optional.of(
          "cannot use the Kubernetes API server at "
              + config.getMasterUrl()
              + " ("
              + reason
              + "): check KUBECONFIG or the in-cluster service account");
    }
  }

  /** The first cause a person recognises: a host that does not resolve, a refused connection. */
  private static String cause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.UnresolvedAddressException
          || t instanceof java.net.UnknownHostException) {
        return "host not found";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return "connection refused";
      }
      if (t instanceof java.net.http.HttpTimeoutException
          || t instanceof java.net.SocketTimeoutException) {
        return "no answer within 5 s";
      }
      if (t instanceof javax.net.ssl.SSLException) {
        return "TLS failed: " + t.getMessage();
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.toString();
  }
}
