package dev.maas.operator.model;

/**
 * The contract between the operator and the runtime image, written down once on this side: the
 * commands, flags and environment the runtime reads, the exit codes and report of {@code compress},
 * and the paths pods mount things at. The runtime keeps its own copy (its picocli options); a test
 * in the runtime module feeds what the operator renders to the runtime's parser.
 */
public final class RuntimeContract {
  public static final String SERVE = "serve";
  public static final String COMPRESS = "compress";

  // serve: every flag has an environment twin
  public static final String ENV_MODEL_URI = "MAAS_MODEL_URI";
  public static final String ENV_MODEL_SHA256 = "MAAS_MODEL_SHA256";
  public static final String ENV_SERVED_NAME = "MAAS_SERVED_NAME";
  public static final String ENV_INPUTS = "MAAS_INPUTS";
  public static final String ENV_PORT = "MAAS_PORT";
  public static final String ENV_DEVICE = "MAAS_DEVICE";
  public static final String ENV_MAX_BATCH_SIZE = "MAAS_MAX_BATCH_SIZE";
  public static final String ENV_MAX_BATCH_DELAY_MS = "MAAS_MAX_BATCH_DELAY_MS";
  public static final String ENV_QUEUE_CAPACITY = "MAAS_QUEUE_CAPACITY";
  public static final String ENV_DRAIN_TIMEOUT_SECONDS = "MAAS_DRAIN_TIMEOUT_SECONDS";
  public static final String ENV_CACHE_DIR = "MAAS_CACHE_DIR";

  // compress
  public static final String FLAG_SOURCE = "--source";
  public static final String FLAG_SHA256 = "--sha256";
  public static final String FLAG_METHOD = "--method";
  public static final String FLAG_SPARSITY = "--sparsity";
  public static final String FLAG_PRUNING_SCOPE = "--pruning-scope";
  public static final String FLAG_OUTPUT = "--output";
  public static final String FLAG_INPUTS = "--inputs";
  public static final String FLAG_SAMPLES = "--samples";
  public static final String FLAG_MAX_OUTPUT_ERROR = "--max-output-error";
  public static final String FLAG_MIN_TOP1_AGREEMENT = "--min-top1-agreement";
  public static final String FLAG_REPORT_FILE = "--report-file";

  /** compress: bad input (unreadable source, digest mismatch): a retry cannot help. */
  public static final int EXIT_BAD_INPUT = 2;

  /** compress: the acceptance thresholds were not met: a retry cannot help. */
  public static final int EXIT_REJECTED = 3;

  /** Where the kubelet reads a container's termination message: compress's report. */
  public static final String TERMINATION_LOG = "/dev/termination-log";

  /** Writable cache (downloaded artifacts, libtorch unpacked by DJL): an emptyDir. */
  public static final String CACHE_DIR = "/var/cache/maas";

  /** The storage claim, where prepare Jobs write packages and runtime pods read them. */
  public static final String MODELS_DIR = "/var/lib/maas/models";

  /** Packages, under {@link #MODELS_DIR}. */
  public static final String PACKAGES = "packages";

  /** pvc:// sources: claim {@code c} is mounted, read-only, at {@code SOURCES_DIR/c}. */
  public static final String SOURCES_DIR = "/var/lib/maas/sources";

  public static final int HTTP_PORT = 8080;

  private RuntimeContract() {}
}
