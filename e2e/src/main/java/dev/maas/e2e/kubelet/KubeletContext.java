package dev.maas.e2e.kubelet;

import dev.maas.operator.testing.HostPathProvisioner;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/**
 * What every pod worker of one process kubelet shares.
 *
 * @param serviceEnvironment the {@code KUBERNETES_SERVICE_*} variables every container gets (empty
 *     when pods cannot reach the API server here)
 */
record KubeletContext(
    KubernetesClient client,
    PodNetwork network,
    HostPathProvisioner provisioner,
    Path runtimeJar,
    Path stateDir,
    String hostIp,
    java.util.Map<String, String> serviceEnvironment) {}
