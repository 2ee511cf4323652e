package dev.maas.operator.cli;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.AccessSpec;
import dev.maas.operator.api.spec.AuthenticationSpec;
import dev.maas.operator.api.spec.SecretNameSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl maas token NAME}: how to call a protected model. Like {@code kubectl create
 * token}, it prints the credential alone on stdout ({@code KEY=$(kubectl maas token digits)}), read
 * from the ModelDeployment's API-key Secret with the caller's own rights (the operator never reads
 * it), and on stderr the call that uses it: URL, header and, with TLS, where the CA is.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description =
        "Print an API key of a protected ModelDeployment (stdout) and how to call the model with it"
            + " (stderr).")
public final class TokenCommand implements Callable<Integer> {
  static final int EXIT_NOT_PROTECTED = 2;
  static final int EXIT_NO_SUCH_KEY = 3;
  static final int EXIT_CANNOT_READ = 4;

  @Parameters(index = "0", paramLabel = "NAME", description = "The ModelDeployment.")
  String name;

  @Option(
      names = "--key",
      paramLabel = "KEY_NAME",
      description = "Which key of the Secret (default: the first by name).")
  String keyName;

  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() {
    try (KubernetesClient client = cluster.client()) {
      String namespace = cluster.namespace(client);
      Optional<ModelDeployment> md = CanaryCommands.find(client, namespace, name);
      if (md.isEmpty()) {
        return CanaryCommands.EXIT_NOT_FOUND;
      }
      String url =
          md.get().getStatus() == null || md.get().getStatus().url() == null
              ? "(no URL yet: the ModelDeployment is not reconciled)"
              : md.get().getStatus().url() + "/infer";
      Optional<AccessSpec> access = Optional.ofNullable(md.get().getSpec().access());
      Optional<String> secretName =
          access
              .map(AccessSpec::authentication)
              .map(AuthenticationSpec::apiKeys)
              .map(SecretNameSpec::secretName);
      Optional<String> tls = access.map(AccessSpec::tls).map(SecretNameSpec::secretName);
      if (secretName.isEmpty()) {
        System.err.println(
            "kubectl-maas: "
                + name
                + " asks for no credential: call "
                + url
                + (tls.isPresent() ? " (HTTPS: " + caHint(tls.get()) + ")" : ""));
        return EXIT_NOT_PROTECTED;
      }
      Secret secret;
      try {
        secret = client.secrets().inNamespace(namespace).withName(secretName.get()).get();
      } catch (KubernetesClientException e) {
        System.err.println(
            "kubectl-maas: cannot read Secret "
                + secretName.get()
                + " in namespace "
                + namespace
                + " ("
                + (e.getCode() == 403
                    ? "forbidden: your account may not get secrets there"
                    : e.getMessage())
                + "); ask who manages the ModelDeployment for a key");
        return EXIT_CANNOT_READ;
      }
      if (secret == null) {
        System.err.println(
            "kubectl-maas: Secret "
                + secretName.get()
                + " (spec.access.authentication.apiKeys) does not exist in namespace "
                + namespace
                + ": create it, e.g. kubectl create secret generic "
                + secretName.get()
                + " --from-literal=web=\"$(openssl rand -hex 24)\"");
        return EXIT_CANNOT_READ;
      }
      Map<String, String> keys = new TreeMap<>();
      Optional.ofNullable(secret.getData())
          .ifPresent(
              data ->
                  data.forEach(
                      (k, v) ->
                          keys.put(
                              k,
                              new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)
                                  .strip())));
      Optional.ofNullable(secret.getStringData()).ifPresent(data -> data.forEach(keys::put));
      String chosen = keyName != null ? keyName : keys.keySet().stream().findFirst().orElse(null);
      if (chosen == null || !keys.containsKey(chosen)) {
        System.err.println(
            "kubectl-maas: Secret "
                + secretName.get()
                + (chosen == null ? " holds no key" : " has no key '" + chosen + "'")
                + "; its keys: "
                + keys.keySet());
        return EXIT_NO_SUCH_KEY;
      }
      System.out.println(keys.get(chosen));
      System.err.println(
          "# the key '"
              + chosen
              + "' of Secret "
              + secretName.get()
              + "; call the model with it:\n"
              + "#   KEY=$(kubectl maas token "
              + name
              + (keyName == null ? "" : " --key " + keyName)
              + ")\n"
              + "#   curl"
              + (tls.isPresent() ? " --cacert ca.crt" : "")
              + " -H \"Authorization: Bearer $KEY\" -H 'Content-Type: application/json' "
              + url
              + " -d @request.json"
              + (tls.isPresent() ? "\n# " + caHint(tls.get()) : ""));
      return 0;
    }
  }

  private static String caHint(String tlsSecret) {
    return "the server's certificate is in Secret "
        + tlsSecret
        + "; its issuer's CA in that Secret's ca.crt when cert-manager wrote it: kubectl get"
        + " secret "
        + tlsSecret
        + " -o jsonpath='{.data.ca\\.crt}' | base64 -d > ca.crt";
  }
}
