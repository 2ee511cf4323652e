package dev.maas.contract;

/**
 * How the runtime's commands end. The operator acts on them (a prepare Job fails at once on a code
 * a retry cannot change, through its podFailurePolicy) and the kubelet shows them, so they are part
 * of the contract.
 */
public final class ExitCodes {
  public static final int OK = 0;

  /** A flag is unknown or its value is invalid (sysexits' EX_USAGE). */
  public static final int USAGE = 64;

  private ExitCodes() {}

  /** {@code serve}: each start-up failure has its own code and one line on stderr. */
  public static final class Serve {
    /** The artifact cannot be fetched, verified or loaded. */
    public static final int BAD_ARTIFACT = 2;

    /** The model disagrees with --inputs or --output-names (found at warm-up). */
    public static final int MODEL_MISMATCH = 3;

    /** The port is taken or cannot be bound. */
    public static final int CANNOT_LISTEN = 4;

    private Serve() {}
  }

  /** {@code keygen}, {@code encrypt}, {@code decrypt}. */
  public static final class Keys {
    /** The key cannot be read or used, or the ciphertext does not open with it. */
    public static final int BAD_INPUT = 2;

    /** The output exists already: nothing is overwritten (sysexits' EX_CANTCREAT). */
    public static final int OUTPUT_EXISTS = 73;

    private Keys() {}
  }

  /** {@code compress}: the report's status says the same in words. */
  public static final class Compress {
    /** Anything unexpected, or a source still unreachable after the retries; a retry may help. */
    public static final int FAILED = 1;

    /** Bad input (unreadable source, digest mismatch, bad flag value): a retry cannot help. */
    public static final int BAD_INPUT = 2;

    /** The acceptance thresholds were not met: a retry cannot help. */
    public static final int REJECTED = 3;

    private Compress() {}
  }
}
