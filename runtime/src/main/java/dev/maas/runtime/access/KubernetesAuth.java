package dev.maas.runtime.access;

import dev.maas.contract.ServeFlags;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how Kubernetes tokens are checked: the ModelDeployment callers must be allowed to call,
 * the API server that reviews their tokens, the runtime's own token for those reviews (read again
 * for every review, since kubelet rotates a projected token) and the API server's CA, and how long
 * an answer is kept.
 *
 * @param allowedFor how long an allowed caller is not asked about again: a RoleBinding removed
 *     takes effect within it
 * @param deniedFor how long a refused token is not asked about again: a RoleBinding added takes
 *     effect within it
 */
public record KubernetesAuth(
    String namespace,
    String name,
    URI api,
    Path tokenFile,
    Path caFile,
    Duration allowedFor,
    Duration deniedFor) {
  /** As kube-rbac-proxy and kubelet's webhook authorizer keep answers: briefly, denials shorter. */
  public static final Duration ALLOWED_FOR = Duration.ofSeconds(60);

  public static final Duration DENIED_FOR = Duration.ofSeconds(10);

  /**
   * @param target {@code NAMESPACE/NAME}, or {@code NAME} in the namespace the pod runs in (the
   *     {@code namespace} file beside the service-account token, as in-cluster clients find it)
   * @param api the API server; null: the in-cluster address from {@code KUBERNETES_SERVICE_HOST}
   *     and {@code KUBERNETES_SERVICE_PORT}
   * @throws IllegalArgumentException naming the flag that is wrong or the setting that is missing
   */
  public static KubernetesAuth of(String target, String api, Path tokenFile, Path caFile) {
    String[] parts = target.split("/", -1);
    String namespace;
    String name;
    if (parts.length == 1) {
      namespace = podNamespace(tokenFile);
      name = parts[0];
    } else if (parts.length == 2) {
      namespace = parts[0];
      name = parts[1];
    } else {
      namespace = "";
      name = "";
    }
    if (!dnsName(namespace) || !dnsName(name)) {
      throw new IllegalArgumentException(
          ServeFlags.KUBERNETES_AUTH
              + " must be [NAMESPACE/]NAME of the ModelDeployment callers need permission for, got '"
              + target
              + "'");
    }
    return new KubernetesAuth(
        namespace, name, apiServer(api), tokenFile, caFile, ALLOWED_FOR, DENIED_FOR);
  }

  private static String podNamespace(Path tokenFile) {
    Path file = tokenFile.resolveSibling("namespace");
    try {
      return java.nio.file.Files.readString(file).strip();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          ServeFlags.KUBERNETES_AUTH
              + " names no namespace and "
              + file
              + " cannot be read (not in a pod?): give NAMESPACE/NAME");
    }
  }

  private static URI apiServer(String api) {
    if (api != null && !api.isBlank()) {
      URI uri = URI.create(api.strip());
      if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException(
            ServeFlags.KUBERNETES_API + " must be an https:// URL of the API server, got " + api);
      }
      return uri;
    }
    String host = System.getenv("KUBERNETES_SERVICE_HOST");
    String port = System.getenv("KUBERNETES_SERVICE_PORT");
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          ServeFlags.KUBERNETES_AUTH
              + " needs the API server: KUBERNETES_SERVICE_HOST is not set (not in a pod?);"
              + " give "
              + ServeFlags.KUBERNETES_API);
    }
    String literal = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("https://" + literal + ":" + (port == null || port.isBlank() ? "443" : port));
  }

  private static boolean dnsName(String s) {
    return s.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && s.length() <= 253;
  }

  public String describe() {
    return "modeldeployments/infer " + namespace + "/" + name + " (reviews by " + api + ")";
  }
}
