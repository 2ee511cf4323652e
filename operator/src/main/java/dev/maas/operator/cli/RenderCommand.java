package dev.maas.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.maas.operator.api.CrdConstants;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.config.OperatorConfig;
import dev.maas.operator.model.OwnedObjects;
import dev.maas.operator.model.ResolvedModelDeployment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code render}: prints, as YAML, exactly the objects the operator would apply for the given
 * ModelDeployments, with no cluster. It calls the same builders as the reconciler.
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = "Print the objects the operator would apply for ModelDeployment manifests.")
public final class RenderCommand implements Callable<Integer> {
  public static final int EXIT_STALLED = 2;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "ModelDeployment YAML (one or more documents).")
  Path file;

  @Option(
      names = "--config",
      description = "Operator configuration (node pools, defaults), as the Helm chart mounts it.")
  Path config;

  @Override
  public Integer call() throws IOException {
    OperatorConfig operatorConfig =
        config == null ? OperatorConfig.empty() : OperatorConfig.read(config);
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<String> problems = new ArrayList<>();
    StringBuilder yaml = new StringBuilder();
    for (ModelDeployment md : read(file, serialization)) {
      ResolvedModelDeployment.Resolution resolution =
          ResolvedModelDeployment.resolve(md, operatorConfig);
      if (resolution.stalledReason().isPresent()) {
        problems.add(md.getMetadata().getName() + ": " + resolution.stalledReason().get());
        continue;
      }
      for (HasMetadata object : OwnedObjects.of(resolution.resolved().get())) {
        yaml.append(serialization.asYaml(object));
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> System.err.println("render: " + p));
      return EXIT_STALLED;
    }
    System.out.print(yaml);
    return 0;
  }

  static List<ModelDeployment> read(Path file, KubernetesSerialization serialization)
      throws IOException {
    List<ModelDeployment> found = new ArrayList<>();
    try (MappingIterator<JsonNode> docs =
        new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(file.toFile())) {
      for (JsonNode doc : docs.readAll()) {
        if (doc != null && CrdConstants.KIND.equals(doc.path("kind").asText())) {
          found.add(serialization.convertValue(doc, ModelDeployment.class));
        }
      }
    }
    if (found.isEmpty()) {
      throw new IOException(file + " holds no " + CrdConstants.KIND);
    }
    return found;
  }
}
