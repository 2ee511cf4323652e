package dev.maas.operator.render;

import dev.maas.contract.Commands;
import dev.maas.contract.CompressFlags;
import dev.maas.contract.ExitCodes;
import dev.maas.contract.PodLayout;
import dev.maas.operator.api.CrdConstants;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.Artifact;
import dev.maas.operator.revision.PrepareKey;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.revision.RuntimeTemplate;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prepare Job of a revision: the runtime image's {@code compress} fetches the source, checks
 * its digest, compresses it, checks the acceptance thresholds against the original, writes the
 * package under its content-addressed key on the storage claim, and leaves its JSON report as the
 * termination message. Exit 2 (bad input) and 3 (thresholds not met) fail the Job at once through
 * its podFailurePolicy: a retry cannot change either. One Job per prepared artifact, named by the
 * artifact's {@link PrepareKey}, so revisions that share an artifact share its Job. An encrypted
 * source comes with its key and a memory-backed directory, as in a runtime pod: the Job decrypts
 * there and writes the package encrypted with the same key (its digest, in the source's, keeps the
 * key apart from a plain package's).
 */
public final class PrepareJobModel {
  public static final String CONTAINER = "compress";

  /** Job names become pod label values: at most 63 characters. */
  static final int MAX_NAME = 63;

  private PrepareJobModel() {}

  public static String name(String modelDeployment, String prepareKey) {
    String suffix = "-prepare-" + prepareKey;
    String base =
        modelDeployment.length() + suffix.length() > MAX_NAME
            ? modelDeployment.substring(0, MAX_NAME - suffix.length()).replaceAll("-+$", "")
            : modelDeployment;
    return base + suffix;
  }

  public static String name(String modelDeployment, RuntimeTemplate template) {
    return name(modelDeployment, PrepareKey.of(template));
  }

  public static Job build(ResolvedModelDeployment md, Revision revision) {
    RuntimeTemplate template = revision.template();
    String key = PrepareKey.of(template);
    Map<String, String> labels = new LinkedHashMap<>(Labels.common(md.name()));
    labels.put("app.kubernetes.io/component", "prepare");
    labels.put(CrdConstants.LABEL_PREPARE_KEY, key);
    ResolvedModelDeployment.PrepareJobSettings settings = md.prepareJob();
    return new JobBuilder()
        .withMetadata(Owners.metadata(md.owner(), name(md.name(), key), labels))
        .withNewSpec()
        .withBackoffLimit(settings.backoffLimit())
        .withActiveDeadlineSeconds((long) settings.deadlineSeconds())
        .withTtlSecondsAfterFinished(settings.ttlSeconds())
        .withNewPodFailurePolicy()
        .withRules(failJobAtOnce(), ignoreDisruptions())
        .endPodFailurePolicy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withSpec(podSpec(template))
        .endTemplate()
        .endSpec()
        .build();
  }

  /** Bad input and a result below the thresholds: a retry cannot change either. */
  private static PodFailurePolicyRule failJobAtOnce() {
    return new PodFailurePolicyRuleBuilder()
        .withAction("FailJob")
        .withNewOnExitCodes()
        .withContainerName(CONTAINER)
        .withOperator("In")
        .withValues(ExitCodes.Compress.BAD_INPUT, ExitCodes.Compress.REJECTED)
        .endOnExitCodes()
        .build();
  }

  /** A node drained or a pod preempted is not the artifact's fault: it does not count. */
  private static PodFailurePolicyRule ignoreDisruptions() {
    return new PodFailurePolicyRuleBuilder()
        .withAction("Ignore")
        .addNewOnPodCondition()
        .withType("DisruptionTarget")
        .withStatus("True")
        .endOnPodCondition()
        .build();
  }

  private static PodSpec podSpec(RuntimeTemplate template) {
    Artifact source = Artifact.source(template.source());
    return new PodSpecBuilder()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(PodSecurity.pod())
        .withContainers(container(template, source))
        .addNewVolume()
        .withName(Artifact.STORAGE_VOLUME)
        .withNewPersistentVolumeClaim()
        .withClaimName(template.storageClaim())
        .endPersistentVolumeClaim()
        .endVolume()
        .addAllToVolumes(ScratchSpace.volumes())
        .addAllToVolumes(source.volumes())
        .addAllToVolumes(ModelKeyMounts.volumes(template.source()))
        .addAllToVolumes(SourceAccessMounts.volumes(template.source()))
        .build();
  }

  private static Container container(RuntimeTemplate template, Artifact source) {
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(template.image())
        .withArgs(args(template, source))
        .withEnv(ScratchSpace.env())
        .addAllToEnv(ModelKeyMounts.env(template.source()))
        .addAllToEnv(SourceAccessMounts.env(template.source()))
        // CPU and memory as spec.compression.resources says, else as the runtime gets them; no
        // GPU: compression runs on CPU.
        .withResources(jobResources(template))
        .withTerminationMessagePath(PodLayout.TERMINATION_LOG)
        .withTerminationMessagePolicy("File")
        .withSecurityContext(PodSecurity.container())
        .addNewVolumeMount()
        .withName(Artifact.STORAGE_VOLUME)
        .withMountPath(PodLayout.MODELS_DIR)
        .endVolumeMount()
        .addAllToVolumeMounts(ScratchSpace.mounts())
        .addAllToVolumeMounts(source.mounts())
        .addAllToVolumeMounts(ModelKeyMounts.mounts(template.source()))
        .addAllToVolumeMounts(SourceAccessMounts.mounts(template.source()))
        .build();
  }

  private static ResourceRequirements jobResources(RuntimeTemplate template) {
    ResourceRequirements own = template.compression().resources();
    ResourceRequirements from = own != null ? own : template.resources();
    return new ResourceRequirementsBuilder()
        .withRequests(from.getRequests())
        .withLimits(from.getLimits())
        .build();
  }

  /** compress's command line; flags as the contract names them. */
  static List<String> args(RuntimeTemplate template, Artifact source) {
    RuntimeTemplate.Compression c = template.compression();
    List<String> args = new ArrayList<>();
    args.add(Commands.COMPRESS);
    add(args, CompressFlags.SOURCE, source.uri());
    add(args, CompressFlags.SHA256, source.sha256());
    add(args, CompressFlags.METHOD, c.method().name());
    add(args, CompressFlags.SPARSITY, c.sparsity());
    add(args, CompressFlags.PRUNING_SCOPE, c.pruningScope());
    add(args, CompressFlags.INPUTS, DeploymentModel.signature(template.inputs()));
    add(args, CompressFlags.SAMPLES, c.samples());
    add(args, CompressFlags.MAX_OUTPUT_ERROR, c.maxOutputError());
    add(args, CompressFlags.MIN_TOP1_AGREEMENT, c.minTop1Agreement());
    if (c.student() != null) {
      add(args, CompressFlags.STUDENT, c.student().uri());
      add(args, CompressFlags.STUDENT_SHA256, c.student().sha256());
    }
    if (c.data() != null) {
      add(args, CompressFlags.DATA, c.data().uri());
      add(args, CompressFlags.DATA_SHA256, c.data().sha256());
    }
    if (c.training() != null) {
      add(args, CompressFlags.EPOCHS, c.training().epochs());
      add(args, CompressFlags.BATCH_SIZE, c.training().batchSize());
      add(args, CompressFlags.LEARNING_RATE, c.training().learningRate());
      add(args, CompressFlags.TEMPERATURE, c.training().temperature());
    }
    add(args, CompressFlags.OUTPUT, PodLayout.MODELS_DIR + "/" + PodLayout.PACKAGES);
    add(args, CompressFlags.REPORT_FILE, PodLayout.TERMINATION_LOG);
    return args;
  }

  private static void add(List<String> args, String flag, Object value) {
    if (value != null) {
      args.add(flag);
      args.add(value.toString());
    }
  }
}
