package dev.maas.operator.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How the plugin's commands reach the cluster: the current kubeconfig, as kubectl does. */
final class ClusterOptions {
  @Option(
      names = {"-n", "--namespace"},
      description = "Namespace of the ModelDeployment (default: the kubeconfig context's).")
  String namespace;

  KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
  }

  String namespace(KubernetesClient client) {
    if (namespace != null) {
      return namespace;
    }
    String fromContext = client.getConfiguration().getNamespace();
    return fromContext == null ? "default" : fromContext;
  }

  /** The named ModelDeployment's history, or one line on stderr saying it is not there. */
  Optional<RevisionHistory> history(KubernetesClient client, String name) {
    return RevisionHistory.find(client, namespace(client), name);
  }
}
