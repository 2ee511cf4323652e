package dev.maas.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.contract.CompressionMethod;
import dev.maas.contract.Datatype;
import dev.maas.contract.ExitCodes;
import dev.maas.contract.PrepareReport;
import dev.maas.contract.PrepareReport.Acceptance;
import dev.maas.contract.PrepareStatus;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.AcceptanceSpec;
import dev.maas.operator.api.spec.ArtifactRefSpec;
import dev.maas.operator.api.spec.CompressionSpec;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.spec.ModelSpec;
import dev.maas.operator.api.spec.TensorSpec;
import dev.maas.operator.api.spec.TrainingSpec;
import dev.maas.operator.config.OperatorConfig;
import dev.maas.operator.render.DeploymentModel;
import dev.maas.operator.render.PrepareJobModel;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.PrepareKey;
import dev.maas.operator.revision.PrepareOutcome;
import dev.maas.operator.revision.Revision;
import dev.maas.runtime.RuntimeMain;
import dev.maas.runtime.model.InputSignature;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The contract between the operator and this runtime, checked from both sides: the operator renders
 * its prepare Job and its Deployment, and the runtime's own command-line parser reads them; the
 * runtime writes a report, and the operator's own reader reads it.
 */
class OperatorContractTest {
  private static final String URI = "https://models.example.com/digits/v1/digits_mlp.pt";
  private static final String SHA256 =
      "c3f173da556a99a6931f0abbda7b59a7132e8a008311f215a466c90c314ccf14";

  private static ResolvedModelDeployment int8() throws Exception {
    return resolved(
        new CompressionSpec(
            CompressionMethod.Int8,
            null,
            null,
            new AcceptanceSpec(0.1, 0.99, 128),
            null,
            null,
            null,
            null));
  }

  private static ResolvedModelDeployment resolved(CompressionSpec compression) throws Exception {
    ModelDeployment md = new ModelDeployment();
    md.setMetadata(new ObjectMetaBuilder().withName("digits").withNamespace("ml").build());
    md.setSpec(
        ModelDeploymentSpec.builder(
                new ModelSpec(
                    URI,
                    SHA256,
                    "digits",
                    List.of(new TensorSpec("input", Datatype.FP32, List.of(-1L, 64L)))))
            .compression(compression)
            .replicas(2)
            .build());
    OperatorConfig config =
        OperatorConfig.read(Path.of("../examples/operator-config.yaml").toAbsolutePath());
    return ResolvedModelDeployment.resolve(md, config).resolved().orElseThrow();
  }

  @Test
  void compressReadsThePrepareJobsArgumentsAndSharesItsExitCodes() throws Exception {
    ResolvedModelDeployment md = int8();
    Revision revision = Revision.first(1, "0123456789", md.template(), md.revisionSpec());
    List<String> args =
        PrepareJobModel.build(md, revision)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getArgs();
    assertThat(new CommandLine(new RuntimeMain()).getSubcommands()).containsKey(args.get(0));
    assertThat(args.get(0)).isEqualTo("compress");
    CompressCommand compress = new CompressCommand();
    new CommandLine(compress).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
    assertThat(compress.source).isEqualTo(URI);
    assertThat(compress.sha256).isEqualTo(SHA256);
    assertThat(compress.method).isEqualTo("Int8");
    assertThat(compress.output).isEqualTo(Path.of("/var/lib/maas/models/packages"));
    assertThat(compress.maxOutputError).isEqualTo(0.1);
    assertThat(compress.minTop1Agreement).isEqualTo(0.99);
    assertThat(compress.samples).isEqualTo(128);
    assertThat(compress.reportFile).isEqualTo(Path.of("/dev/termination-log"));
    assertThat(InputSignature.parse(compress.inputs).toString()).contains("input");
    assertThat(
            PrepareJobModel.build(md, revision)
                .getSpec()
                .getPodFailurePolicy()
                .getRules()
                .get(0)
                .getOnExitCodes()
                .getValues())
        .as("the Job fails at once on the codes compress gives to what a retry cannot change")
        .containsExactly(ExitCodes.Compress.BAD_INPUT, ExitCodes.Compress.REJECTED);
  }

  private static final String STUDENT = "s3://models/digits/student.pt";
  private static final String DATA = "https://data.example.com/digits-unlabelled.safetensors";

  private static CompressionSpec distill(int epochs, ResourceRequirements resources) {
    return new CompressionSpec(
        CompressionMethod.Distill,
        null,
        null,
        new AcceptanceSpec(null, 0.97, null),
        new ArtifactRefSpec(STUDENT, "b".repeat(64)),
        new ArtifactRefSpec(DATA, null),
        new TrainingSpec(epochs, null, 0.02, null),
        resources);
  }

  @Test
  void compressReadsDistillsArgumentsAndTheJobGetsItsOwnResources() throws Exception {
    ResolvedModelDeployment md =
        resolved(
            distill(
                12,
                new ResourceRequirementsBuilder()
                    .addToRequests("cpu", new Quantity("2"))
                    .addToLimits("memory", new Quantity("3Gi"))
                    .build()));
    Revision revision = Revision.first(1, "0123456789", md.template(), md.revisionSpec());
    var container =
        PrepareJobModel.build(md, revision)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    List<String> args = container.getArgs();
    CompressCommand compress = new CompressCommand();
    new CommandLine(compress).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
    assertThat(compress.method).isEqualTo("Distill");
    assertThat(compress.student).isEqualTo(STUDENT);
    assertThat(compress.studentSha256).isEqualTo("b".repeat(64));
    assertThat(compress.data).isEqualTo(DATA);
    assertThat(compress.dataSha256).isNull();
    assertThat(compress.epochs).isEqualTo(12);
    assertThat(compress.batchSize).as("the default, filled in").isEqualTo(64);
    assertThat(compress.learningRate).isEqualTo(0.02);
    assertThat(compress.temperature).isEqualTo(4.0);
    assertThat(compress.minTop1Agreement).isEqualTo(0.97);
    assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("2"));
    assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("3Gi"));
    ResolvedModelDeployment other = resolved(distill(13, null));
    assertThat(PrepareKey.of(other.template()))
        .as("a training setting changes what is prepared")
        .isNotEqualTo(PrepareKey.of(md.template()));
  }

  @Test
  void theOperatorReadsTheReportCompressWrites() {
    PrepareReport report =
        PrepareReport.builder(PrepareStatus.OK)
            .method("Int8")
            .settings("Int8")
            .key("k".repeat(64))
            .packagePath("/var/lib/maas/models/packages/" + "k".repeat(64) + ".maas.zip")
            .packageSha256("a".repeat(64))
            .cached(false)
            .originalBytes(678697L)
            .packageBytes(170179L)
            .ratio(3.988)
            .acceptance(new Acceptance(256, 0.072, 0.02, 0.996, 0.978, 0.978))
            .durationsMillis(Map.of("total", 5000L))
            .build();
    PrepareOutcome outcome =
        PrepareReport.parse(report.toJson())
            .map(r -> PrepareOutcome.reported(r, "digits-prepare-x", 0))
            .orElseThrow();
    assertThat(outcome.succeeded()).isTrue();
    assertThat(outcome.packagePath()).isEqualTo("packages/" + "k".repeat(64) + ".maas.zip");
    assertThat(outcome.packageSha256()).isEqualTo("a".repeat(64));
    assertThat(outcome.ratio()).isEqualTo(3.988);
    assertThat(outcome.maxOutputError()).isEqualTo(0.072);
    assertThat(outcome.top1Agreement()).isEqualTo(0.996);

    PrepareOutcome rejected =
        PrepareReport.parse(
                PrepareReport.builder(PrepareStatus.REJECTED)
                    .method("Int8")
                    .settings("Int8")
                    .cached(false)
                    .originalBytes(1L)
                    .acceptance(new Acceptance(256, 0.3, 0.1, 0.9, null, null))
                    .durationsMillis(Map.of())
                    .message("max output error 0.3 is above 0.1")
                    .build()
                    .toJson())
            .map(r -> PrepareOutcome.reported(r, "j", 3))
            .orElseThrow();
    assertThat(rejected.succeeded()).isFalse();
    assertThat(rejected.message()).isEqualTo("max output error 0.3 is above 0.1");
  }

  @Test
  void serveReadsEveryVariableTheDeploymentSetsAndAcceptsItsValue() throws Exception {
    ResolvedModelDeployment md = int8();
    Revision revision =
        Revision.first(1, "0123456789", md.template(), md.revisionSpec())
            .prepared(
                PrepareOutcome.builder(PrepareStatus.OK, "j")
                    .exitCode(0)
                    .key("k")
                    .packagePath("packages/k.maas.zip")
                    .packageSha256("a".repeat(64))
                    .cached(false)
                    .originalBytes(1L)
                    .packageBytes(1L)
                    .ratio(1.0)
                    .maxOutputError(0.0)
                    .meanOutputError(0.0)
                    .top1Agreement(1.0)
                    .build());
    var container =
        DeploymentModel.build(md, revision, 2)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(container.getArgs()).containsExactly("serve");
    assertThat(new CommandLine(new RuntimeMain()).getSubcommands()).containsKey("serve");
    List<EnvVar> env = container.getEnv();
    List<String> serveArgs = new ArrayList<>();
    for (EnvVar variable : env) {
      if (!variable.getName().startsWith("MAAS_")) {
        continue;
      }
      String option = optionReading(variable.getName());
      assertThat(option).as(variable.getName() + " is read by serve").isNotNull();
      serveArgs.add(option);
      serveArgs.add(variable.getValue());
    }
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(serveArgs.toArray(String[]::new));
    assertThat(serveArgs).contains("/var/lib/maas/models/packages/k.maas.zip", "a".repeat(64));
  }

  /** The serve option whose default comes from this environment variable. */
  private static String optionReading(String variable) {
    for (Field field : ServeOptions.class.getDeclaredFields()) {
      Option option = field.getAnnotation(Option.class);
      if (option != null && option.defaultValue().startsWith("${env:" + variable)) {
        String rest = option.defaultValue().substring(("${env:" + variable).length());
        if (rest.startsWith("}") || rest.startsWith(":-")) {
          return option.names()[0];
        }
      }
    }
    return null;
  }
}
