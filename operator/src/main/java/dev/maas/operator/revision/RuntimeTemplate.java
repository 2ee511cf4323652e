package dev.maas.operator.revision;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.maas.contract.CompressionMethod;
import dev.maas.contract.PruningScope;
import dev.maas.operator.api.spec.TensorSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * Everything that shapes a runtime pod, with the operator's defaults already applied: the image,
 * the artifact to load and how to prepare it, batching, resources, GPU placement, environment and
 * timings. Its hash identifies a revision, and a revision stores it whole, so rolling back renders
 * the template that was known to be good, not today's defaults. Replicas, autoscaling and rollout
 * settings are deliberately absent: changing them is not a new revision.
 *
 * @param source the artifact as the user named it
 * @param compression how the artifact is prepared before rollout; null: served as it is
 * @param storageClaim the PVC that holds prepared packages; null without compression
 * @param placement GPU count and node pool; null on CPU
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuntimeTemplate(
    String image,
    String servedName,
    Source source,
    List<TensorSpec> inputs,
    Compression compression,
    String storageClaim,
    Batching batching,
    ResourceRequirements resources,
    Placement placement,
    List<EnvVar> env,
    Lifecycle lifecycle) {

  public RuntimeTemplate {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    env = env == null ? List.of() : List.copyOf(env);
    resources = resources == null ? new ResourceRequirements() : resources;
  }

  /**
   * Where the artifact is (https://, http://, pvc://claim/path, s3://, hf:// or oci://), its
   * expected digest, the Secret holding its key when it is encrypted (null: a plain artifact), and
   * how to reach a remote store: the credentials Secret, an S3 store's settings and a Hub mirror,
   * each null when not needed (so a revision made before they existed hashes as it did). An hf://
   * source that named a branch is pinned: {@code uri} names the commit the branch named when the
   * revision was made, {@code requestedUri} what the spec says.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(
      String uri,
      String sha256,
      String keySecret,
      String credentialsSecret,
      S3Store s3,
      String hubEndpoint,
      String requestedUri) {
    static final String PVC_SCHEME = "pvc://";
    static final String S3_SCHEME = "s3://";
    static final String HUB_SCHEME = "hf://";
    static final String OCI_SCHEME = "oci://";

    public Source(String uri, String sha256) {
      this(uri, sha256, null);
    }

    public Source(String uri, String sha256, String keySecret) {
      this(uri, sha256, keySecret, null, null, null, null);
    }

    public Source(
        String uri,
        String sha256,
        String keySecret,
        String credentialsSecret,
        S3Store s3,
        String hubEndpoint) {
      this(uri, sha256, keySecret, credentialsSecret, s3, hubEndpoint, null);
    }

    @JsonIgnore
    public boolean inS3() {
      return uri.startsWith(S3_SCHEME);
    }

    @JsonIgnore
    public boolean onHub() {
      return uri.startsWith(HUB_SCHEME);
    }

    @JsonIgnore
    public boolean inImage() {
      return uri.startsWith(OCI_SCHEME);
    }

    /** The image reference of an oci:// source. */
    @JsonIgnore
    public String imageReference() {
      return uri.substring(OCI_SCHEME.length());
    }

    @JsonIgnore
    public boolean encrypted() {
      return keySecret != null;
    }

    @JsonIgnore
    public boolean onClaim() {
      return uri.startsWith(PVC_SCHEME);
    }

    /** The claim of a pvc:// source. */
    @JsonIgnore
    public String claim() {
      String rest = uri.substring(PVC_SCHEME.length());
      return rest.substring(0, rest.indexOf('/'));
    }

    /** The path inside the claim of a pvc:// source. */
    @JsonIgnore
    public String pathInClaim() {
      String rest = uri.substring(PVC_SCHEME.length());
      return rest.substring(rest.indexOf('/') + 1);
    }
  }

  /**
   * An S3-compatible store, resolved from the spec over the operator's defaults; null fields: the
   * AWS SDK's own defaults.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record S3Store(String endpoint, String region, Boolean pathStyle, String caBundleSecret) {}

  /**
   * The compression Job's settings and acceptance thresholds. Distill's fields (student, training)
   * and data are null for the other methods, and {@code resources} null when the Job takes the
   * runtime's: absent fields leave the hash of a revision made before they existed as it was.
   *
   * @param student Distill's student
   * @param data rows Distill trains on and every method's gate judges on
   * @param training Distill's settings, defaults filled in
   * @param resources the prepare Job's CPU and memory; null: the runtime's
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Compression(
      CompressionMethod method,
      Double sparsity,
      PruningScope pruningScope,
      Double maxOutputError,
      Double minTop1Agreement,
      Integer samples,
      FileRef student,
      FileRef data,
      Training training,
      ResourceRequirements resources) {

    public Compression(
        CompressionMethod method,
        Double sparsity,
        PruningScope pruningScope,
        Double maxOutputError,
        Double minTop1Agreement,
        Integer samples) {
      this(
          method,
          sparsity,
          pruningScope,
          maxOutputError,
          minTop1Agreement,
          samples,
          null,
          null,
          null,
          null);
    }
  }

  /** A file the prepare Job fetches (with the source's access settings) and verifies. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FileRef(String uri, String sha256) {}

  /** Distill's training settings. */
  public record Training(int epochs, int batchSize, double learningRate, double temperature) {}

  public record Batching(int maxBatchSize, int maxDelayMillis, int queueCapacity) {}

  /**
   * GPUs per pod and where they are: the pool's nodeSelector, tolerations and GPU resource name
   * (nvidia.com/gpu or a MIG profile), copied from the operator's configuration.
   */
  public record Placement(
      String pool,
      int gpus,
      String gpuResource,
      Map<String, String> nodeSelector,
      List<Toleration> tolerations) {
    public Placement {
      nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
      tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
    }
  }

  /**
   * @param drainSeconds the runtime's drain timeout on SIGTERM
   * @param preStopSeconds how long a terminating pod keeps serving before SIGTERM
   * @param startupSeconds how long the runtime may take to start listening
   */
  public record Lifecycle(int drainSeconds, int preStopSeconds, int startupSeconds) {}

  @JsonIgnore
  public boolean usesGpu() {
    return placement != null && placement.gpus() > 0;
  }

  @JsonIgnore
  public boolean needsPreparation() {
    return compression != null;
  }
}
