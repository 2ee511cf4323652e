package dev.maas.operator.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator's configuration, read once from the file the Helm chart mounts and passed to
 * whatever needs it: named GPU node pools, defaults, the namespaces to watch (empty: all), where
 * canary weights go (by pod share unless an HTTPRoute is named), and where the operator's own pods
 * are (for the NetworkPolicies it renders), and where the platform's model stores are.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record OperatorConfig(
    Map<String, NodePool> nodePools,
    Defaults defaults,
    List<String> watchNamespaces,
    TrafficRouting trafficRouting,
    OperatorIdentity operatorPods,
    SourceDefaults sources) {

  public OperatorConfig {
    // Sorted, so that messages listing the pools read the same on every run.
    nodePools =
        nodePools == null
            ? Collections.emptySortedMap()
            : Collections.unmodifiableSortedMap(new TreeMap<>(nodePools));
    defaults = defaults == null ? Defaults.standard() : defaults;
    watchNamespaces = watchNamespaces == null ? List.of() : List.copyOf(watchNamespaces);
    trafficRouting = trafficRouting == null ? TrafficRouting.POD_SHARE : trafficRouting;
    operatorPods = operatorPods == null ? OperatorIdentity.DEFAULT : operatorPods;
    sources = sources == null ? SourceDefaults.none() : sources;
  }

  public OperatorConfig(
      Map<String, NodePool> nodePools,
      Defaults defaults,
      List<String> watchNamespaces,
      TrafficRouting trafficRouting,
      OperatorIdentity operatorPods) {
    this(nodePools, defaults, watchNamespaces, trafficRouting, operatorPods, null);
  }

  public OperatorConfig(
      Map<String, NodePool> nodePools,
      Defaults defaults,
      List<String> watchNamespaces,
      TrafficRouting trafficRouting) {
    this(nodePools, defaults, watchNamespaces, trafficRouting, OperatorIdentity.DEFAULT);
  }

  public OperatorConfig(
      Map<String, NodePool> nodePools, Defaults defaults, List<String> watchNamespaces) {
    this(nodePools, defaults, watchNamespaces, TrafficRouting.POD_SHARE);
  }

  /** No pools and no default image: every GPU or image-less ModelDeployment will be Stalled. */
  public static OperatorConfig empty() {
    return new OperatorConfig(Map.of(), Defaults.standard(), List.of());
  }

  public static OperatorConfig read(Path file) throws IOException {
    ObjectMapper yaml =
        new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    OperatorConfig config = yaml.readValue(file.toFile(), OperatorConfig.class);
    return config == null ? empty() : config;
  }

  /** Pool names in order, for messages that list what is valid. */
  public List<String> poolNames() {
    return List.copyOf(nodePools.keySet());
  }
}
