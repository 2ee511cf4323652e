package dev.maas.contract;

/** {@code compress}'s flags, as the prepare Job passes them and the runtime declares them. */
public final class CompressFlags {
  public static final String SOURCE = "--source";
  public static final String SHA256 = "--sha256";

  /** One of {@link CompressionMethod}'s names. */
  public static final String METHOD = "--method";

  public static final String SPARSITY = "--sparsity";

  /** One of {@link PruningScope}'s names. */
  public static final String PRUNING_SCOPE = "--pruning-scope";

  /** A directory; the package is written there as {@code <key>}{@link PackageFormat#SUFFIX}. */
  public static final String OUTPUT = "--output";

  /** The input signature, in {@link SignatureFormat}. */
  public static final String INPUTS = "--inputs";

  public static final String SAMPLES = "--samples";
  public static final String SAMPLE_DATA = "--sample-data";
  public static final String EVAL_DATA = "--eval-data";
  public static final String MAX_OUTPUT_ERROR = "--max-output-error";
  public static final String MIN_TOP1_AGREEMENT = "--min-top1-agreement";

  /** Distill's student: a TorchScript with the model's inputs and outputs, any weights. */
  public static final String STUDENT = "--student";

  public static final String STUDENT_SHA256 = "--student-sha256";

  /**
   * Inputs like the ones the model will see, no labels needed: safetensors (one tensor per input
   * name) or JSON rows. Distill trains on it; every method's gate judges on it when given.
   */
  public static final String DATA = "--data";

  public static final String DATA_SHA256 = "--data-sha256";

  public static final String EPOCHS = "--epochs";
  public static final String BATCH_SIZE = "--batch-size";
  public static final String LEARNING_RATE = "--learning-rate";
  public static final String TEMPERATURE = "--temperature";
  public static final String SEED = "--seed";

  /** Where the {@link PrepareReport} is written besides stdout. */
  public static final String REPORT_FILE = "--report-file";

  private CompressFlags() {}
}
