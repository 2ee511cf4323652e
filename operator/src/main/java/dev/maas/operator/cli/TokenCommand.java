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
 * it), or with {@code --service-account} a token the API server issues for that account (for a
 * model that takes Kubernetes tokens), and on stderr the call that uses it: URL, header and, with
 * TLS, where the CA is.
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
  static final int EXIT_NEEDS_ACCOUNT = 5;

  @Parameters(index = "0", paramLabel = "NAME", description = "The ModelDeployment.")
  String name;

  @Option(
      names = "--key",
      paramLabel = "KEY_NAME",
      description = "Which key of the Secret (default: the first by name).")
  String keyName;

  @Option(
      names = "--service-account",
      paramLabel = "ACCOUNT",
      description =
          "For a model that takes Kubernetes tokens: a token of this service account (one hour,"
              + " as kubectl create token issues it); its RBAC must allow get"
              + " modeldeployments/infer.")
  String serviceAccount;

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
      boolean tokens =
          access.map(AccessSpec::authentication).map(AuthenticationSpec::kubernetes).isPresent();
      if (serviceAccount != null || (tokens && secretName.isEmpty())) {
        return serviceAccountToken(client, namespace, tokens, url, tls);
      }
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

  private int serviceAccountToken(
      KubernetesClient client, String namespace, boolean tokens, String url, Optional<String> tls) {
    if (!tokens) {
      System.err.println(
          "kubectl-maas: "
              + name
              + " takes no Kubernetes tokens (spec.access.authentication.kubernetes is not set)");
      return EXIT_NOT_PROTECTED;
    }
    if (serviceAccount == null) {
      System.err.println(
          "kubectl-maas: "
              + name
              + " takes Kubernetes tokens: name the caller's account with --service-account"
              + " ACCOUNT; its RBAC must allow get modeldeployments/infer, e.g.\n"
              + "  kubectl create role infer-"
              + name
              + " --verb=get --resource=modeldeployments.maas.dev/infer --resource-name="
              + name
              + "\n  kubectl create rolebinding ACCOUNT-infers-"
              + name
              + " --role=infer-"
              + name
              + " --serviceaccount="
              + namespace
              + ":ACCOUNT");
      return EXIT_NEEDS_ACCOUNT;
    }
    String token;
    try {
      var issued =
          client
              .serviceAccounts()
              .inNamespace(namespace)
              .withName(serviceAccount)
              .tokenRequest(
                  new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                      .withNewSpec()
                      .withExpirationSeconds(3600L)
                      .endSpec()
                      .build());
      token = issued.getStatus().getToken();
    } catch (KubernetesClientException e) {
      System.err.println(
          "kubectl-maas: cannot get a token for service account "
              + serviceAccount
              + " in namespace "
              + namespace
              + " ("
              + (e.getCode() == 404
                  ? "it does not exist"
                  : e.getCode() == 403
                      ? "forbidden: your account may not create serviceaccounts/token there"
                      : e.getMessage())
              + ")");
      return EXIT_CANNOT_READ;
    }
    System.out.println(token);
    System.err.println(
        "# a one-hour token of service account "
            + serviceAccount
            + " (a pod of that account has its own at"
            + " /var/run/secrets/kubernetes.io/serviceaccount/token); call the model with it:\n"
            + "#   TOKEN=$(kubectl maas token "
            + name
            + " --service-account "
            + serviceAccount
            + ")\n"
            + "#   curl"
            + (tls.isPresent() ? " --cacert ca.crt" : "")
            + " -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' "
            + url
            + " -d @request.json\n"
            + "# allowed when RBAC lets "
            + serviceAccount
            + " get modeldeployments/infer '"
            + name
            + "'"
            + (tls.isPresent() ? "\n# " + caHint(tls.get()) : ""));
    return 0;
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
