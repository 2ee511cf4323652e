package dev.maas.contract;

/**
 * What serve and compress use when a setting is left out, and what the operator fills in when a
 * ModelDeployment and its configuration leave it out. Compile-time constants, so the runtime's
 * option defaults and the CRD's descriptions are built from them.
 */
public final class ServingDefaults {
  public static final int MAX_BATCH_SIZE = 32;
  public static final int MAX_BATCH_DELAY_MS = 5;
  public static final int QUEUE_CAPACITY = 512;
  public static final int DRAIN_TIMEOUT_SECONDS = 30;

  /** The serving path's own warm-up before readiness (see the runtime's ServingPathWarmUp). */
  public static final int WARM_UP_SECONDS = 3;

  /** Generated sample rows compress checks a compressed model on. */
  public static final int SAMPLES = 256;

  /**
   * Top-1 agreement a compressed model must keep when its first output has classes and the spec
   * sets no threshold, so that a destroyed model is never accepted silently; 0 turns it off.
   */
  public static final double MIN_TOP1_AGREEMENT = 0.90;

  private ServingDefaults() {}
}
