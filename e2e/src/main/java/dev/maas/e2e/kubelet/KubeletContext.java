package dev.maas.e2e.kubelet;

import dev.maas.operator.testing.HostPathProvisioner;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/** What every pod worker of one process kubelet shares. */
record KubeletContext(
    KubernetesClient client,
    PodNetwork network,
    HostPathProvisioner provisioner,
    Path runtimeJar,
    Path stateDir,
    String hostIp) {}
