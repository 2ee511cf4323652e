package dev.maas.operator.testing;

import dev.maas.operator.config.NodePool;
import dev.maas.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fake nodes for the local cluster, from the operator's configuration as the operator itself reads
 * it ({@link OperatorConfig#read}), so the configuration's format cannot drift from what the
 * cluster is built from: CPU nodes, and GPU nodes for every node pool, with the pool's nodeSelector
 * as labels, a taint for every toleration it names, and its GPU resource (nvidia.com/gpu, or a MIG
 * profile) as capacity. So the real scheduler places a pool's pods on that pool's nodes only. kwok
 * plays their kubelets. {@code local-cluster.sh up} creates them (through {@code maas-e2e.jar
 * fake-nodes}, or this class's main when that jar is not built yet).
 */
public final class FakeNodes {
  static final int GPUS_PER_NODE = 8;

  /** A 1g profile on an A100/H100 80GB. */
  static final int MIG_SLICES_PER_GPU = 7;

  private FakeNodes() {}

  /** usage: FakeNodes OPERATOR_CONFIG [CPU_NODES] [NODES_PER_POOL]; prints a v1 List. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: FakeNodes OPERATOR_CONFIG [CPU_NODES] [NODES_PER_POOL]");
      System.exit(64);
    }
    int cpuNodes = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int perPool = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    System.out.println(json(OperatorConfig.read(Path.of(args[0])), cpuNodes, perPool));
  }

  /** The nodes as a v1 List, in JSON for {@code kubectl create -f -}. */
  public static String json(OperatorConfig config, int cpuNodes, int perPool) {
    return new KubernetesSerialization()
        .asJson(
            new KubernetesListBuilder()
                .addAllToItems(new ArrayList<HasMetadata>(nodes(config, cpuNodes, perPool)))
                .build());
  }

  public static List<Node> nodes(OperatorConfig config, int cpuNodes, int perPool) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < cpuNodes; i++) {
      nodes.add(node("cpu-" + i, Map.of("maas.dev/pool", "cpu"), List.of(), Map.of()));
    }
    for (Map.Entry<String, NodePool> pool : new TreeMap<>(config.nodePools()).entrySet()) {
      String resource = pool.getValue().gpuResource();
      int count = GPUS_PER_NODE * (resource.contains("/mig-") ? MIG_SLICES_PER_GPU : 1);
      Map<String, String> labels = new LinkedHashMap<>(pool.getValue().nodeSelector());
      labels.put("maas.dev/pool", pool.getKey());
      for (int i = 0; i < perPool; i++) {
        nodes.add(
            node(
                pool.getKey() + "-" + i,
                labels,
                taints(pool.getValue().tolerations()),
                Map.of(resource, Integer.toString(count))));
      }
    }
    return nodes;
  }

  private static Node node(
      String name, Map<String, String> labels, List<Taint> taints, Map<String, String> extra) {
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity("32"));
    capacity.put("memory", new Quantity("256Gi"));
    capacity.put("pods", new Quantity("110"));
    capacity.put("ephemeral-storage", new Quantity("500Gi"));
    extra.forEach((k, v) -> capacity.put(k, new Quantity(v)));
    Map<String, String> allLabels = new LinkedHashMap<>();
    allLabels.put("kubernetes.io/hostname", name);
    allLabels.put("kubernetes.io/os", "linux");
    allLabels.put("kubernetes.io/arch", "amd64");
    allLabels.put("type", "kwok");
    allLabels.putAll(labels);
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        // kwok manages only nodes with this annotation; other fake nodes can be played by
        // another agent.
        .withAnnotations(Map.of("kwok.x-k8s.io/node", "fake", "node.alpha.kubernetes.io/ttl", "0"))
        .withLabels(allLabels)
        .endMetadata()
        .withNewSpec()
        .withTaints(taints.isEmpty() ? null : taints)
        .endSpec()
        .withNewStatus()
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .endStatus()
        .build();
  }

  /** A taint for every toleration that names a key; one of every taint needs none. */
  static List<Taint> taints(List<Toleration> tolerations) {
    List<Taint> taints = new ArrayList<>();
    for (Toleration t : tolerations) {
      if (t.getKey() == null || t.getKey().isEmpty()) {
        continue;
      }
      String operator = t.getOperator() == null ? "Equal" : t.getOperator();
      boolean withValue =
          operator.equals("Equal") && t.getValue() != null && !t.getValue().isEmpty();
      taints.add(
          new TaintBuilder()
              .withKey(t.getKey())
              .withEffect(
                  t.getEffect() == null || t.getEffect().isEmpty() ? "NoSchedule" : t.getEffect())
              .withValue(withValue ? t.getValue() : null)
              .build());
    }
    return taints;
  }
}
