package dev.maas.operator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.maas.operator.api.CrdConstants;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.config.OperatorConfig;
import dev.maas.operator.plan.FirstRevision;
import dev.maas.operator.render.DeploymentModel;
import dev.maas.operator.render.HttpRouteWeights;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.validation.ManifestValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code render}: prints, as YAML, exactly the objects the operator would apply for the given
 * ModelDeployments, with no cluster. Each manifest is first checked the way the API server will
 * check it (the CRD's schema and CEL rules), then resolved against the operator's configuration the
 * way the reconciler resolves it, with the same builders. Problems are one line each, naming the
 * file, the ModelDeployment and the field.
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = "Print the objects the operator would apply for ModelDeployment manifests.")
public final class RenderCommand implements Callable<Integer> {
  /** The manifest or the configuration is wrong; nothing is printed on stdout. */
  public static final int EXIT_INVALID = 2;

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

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
  public Integer call() {
    OperatorConfig operatorConfig = OperatorConfig.empty();
    if (config != null) {
      try {
        operatorConfig = OperatorConfig.read(config);
      } catch (IOException e) {
        // Resolving against a configuration other than the one asked for would mislead.
        System.err.println("render: " + config + ": " + CliErrors.describe(e));
        return EXIT_INVALID;
      }
    }
    List<String> problems = new ArrayList<>();
    List<JsonNode> manifests = List.of();
    try {
      manifests = read(file);
    } catch (IOException e) {
      problems.add(file + ": " + CliErrors.describe(e));
    }
    if (manifests.isEmpty() && problems.isEmpty()) {
      problems.add(file + ": holds no " + CrdConstants.KIND);
    }
    ManifestValidator validator = ManifestValidator.forThisOperator();
    StringBuilder yaml = new StringBuilder();
    int index = 0;
    for (JsonNode manifest : manifests) {
      index++;
      String where = file + ": " + describe(manifest, index);
      render(manifest, where, validator, operatorConfig, yaml, problems);
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> System.err.println("render: " + p));
      return EXIT_INVALID;
    }
    System.out.print(yaml);
    return 0;
  }

  /** One manifest: its objects go to yaml, or one line per problem to problems. */
  private static void render(
      JsonNode manifest,
      String where,
      ManifestValidator validator,
      OperatorConfig config,
      StringBuilder yaml,
      List<String> problems) {
    if (!isModelDeployment(manifest)) {
      problems.add(
          where
              + " is a "
              + manifest.path("apiVersion").asText("?")
              + " "
              + manifest.path("kind").asText("?")
              + ", not a "
              + CrdConstants.API_VERSION
              + " "
              + CrdConstants.KIND);
      return;
    }
    List<String> invalid = validator.problems(manifest);
    if (!invalid.isEmpty()) {
      invalid.forEach(p -> problems.add(where + ": " + p));
      return;
    }
    ModelDeployment md = SERIALIZATION.convertValue(manifest, ModelDeployment.class);
    ResolvedModelDeployment.Resolution resolution = ResolvedModelDeployment.resolve(md, config);
    if (resolution.stalledReason().isPresent()) {
      problems.add(where + ": " + resolution.stalledReason().get());
      return;
    }
    ResolvedModelDeployment resolved = resolution.resolved().get();
    for (HasMetadata object : FirstRevision.objects(resolved, config.trafficRouting())) {
      yaml.append(SERIALIZATION.asYaml(object));
    }
    if (config.trafficRouting().routesThroughHttpRoute()
        && resolved.rollout().canary().isPresent()) {
      yaml.append(routeComment(resolved, config.trafficRouting().httpRoute()));
    }
  }

  /**
   * The HTTPRoute is the user's, not the operator's: what a canary's first live step does to it, as
   * a comment, computed by the same function the reconciler patches the route with.
   */
  private static String routeComment(ResolvedModelDeployment md, String route) {
    int weight = md.rollout().canary().get().steps().get(0).weight();
    ObjectNode example = JsonNodeFactory.instance.objectNode();
    example.putObject("metadata").put("name", route).put("resourceVersion", "1");
    example
        .putObject("spec")
        .putArray("rules")
        .addObject()
        .putArray("backendRefs")
        .addObject()
        .put("name", md.name())
        .put("port", DeploymentModel.HTTP_PORT);
    JsonNode refs = HttpRouteWeights.patch(example, md.name(), weight).get(1).get("value");
    return "# HTTPRoute "
        + route
        + " (yours, in the same namespace): at the first live step, each rule that sends to"
        + " Service "
        + md.name()
        + " gets backendRefs "
        + refs
        + "\n";
  }

  private static boolean isModelDeployment(JsonNode manifest) {
    return CrdConstants.KIND.equals(manifest.path("kind").asText())
        && CrdConstants.API_VERSION.equals(manifest.path("apiVersion").asText());
  }

  private static String describe(JsonNode manifest, int index) {
    String name = manifest.path("metadata").path("name").asText("");
    return name.isEmpty() ? "document " + index : name;
  }

  /** The non-empty YAML documents of the file, each an object. */
  static List<JsonNode> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no such file");
    }
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> docs =
        new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(file.toFile())) {
      for (JsonNode doc : docs.readAll()) {
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        if (!doc.isObject()) {
          throw new JsonProcessingException("a document is not a YAML mapping: " + doc) {};
        }
        documents.add(doc);
      }
    }
    return documents;
  }
}
