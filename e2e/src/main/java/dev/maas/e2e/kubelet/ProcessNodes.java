package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The nodes a process kubelet registers: CPU nodes of the local machine (labelled as the {@code
 * cpu} pool, reachable at the pods' bridge gateway), always Ready while the kubelet runs.
 */
final class ProcessNodes {
  private ProcessNodes() {}

  static Map<String, Quantity> capacity() {
    return Map.of(
        "cpu", new Quantity("32"),
        "memory", new Quantity("256Gi"),
        "pods", new Quantity("110"),
        "ephemeral-storage", new Quantity("500Gi"));
  }

  static Node node(String name, String address) {
    Map<String, Quantity> capacity = capacity();
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("kubernetes.io/hostname", name)
        .addToLabels("kubernetes.io/os", "linux")
        .addToLabels("kubernetes.io/arch", "amd64")
        .addToLabels("maas.dev/pool", "cpu")
        .addToLabels("type", "process")
        .endMetadata()
        .withNewStatus()
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .withConditions(readyCondition())
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(address)
        .endAddress()
        .addNewAddress()
        .withType("Hostname")
        .withAddress(name)
        .endAddress()
        .withNewNodeInfo()
        .withArchitecture("amd64")
        .withOperatingSystem("linux")
        .withKubeletVersion("process-kubelet")
        .withContainerRuntimeVersion("process://bubblewrap")
        .withKernelVersion("host")
        .withOsImage("host")
        .withBootID("")
        .withMachineID("")
        .withSystemUUID("")
        .withKubeProxyVersion("")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  static NodeCondition readyCondition() {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new NodeConditionBuilder()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .withMessage("process kubelet is posting ready status")
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(now)
        .build();
  }
}
