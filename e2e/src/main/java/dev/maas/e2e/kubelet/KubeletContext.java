package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/** What every pod worker of one process kubelet shares. */
record KubeletContext(
    KubernetesClient client,
    PodNetwork network,
    DirectoryProvisioner provisioner,
    Path runtimeJar,
    Path stateDir,
    String hostIp) {}
