package dev.maas.operator.config;

import dev.maas.contract.ServingDefaults;

/**
 * What the operator fills in when a ModelDeployment leaves it out. Fields absent from the file take
 * the values of {@link #standard()}.
 *
 * @param drainSeconds the runtime's drain timeout; the pod's grace period is derived from it
 * @param preStopSeconds how long a terminating pod keeps serving before SIGTERM, so that the
 *     Service's endpoints drop it first
 * @param startupSeconds how long a runtime may take to start listening before it is restarted
 * @param storageAccessMode access mode of the PVCs the operator creates for prepared packages:
 *     ReadWriteMany (default) lets runtime pods on any node read them
 * @param prepareDeadlineSeconds how long a prepare (compression) Job may run
 * @param prepareBackoffLimit retries of a prepare Job that crashed (bad input and rejected results
 *     are never retried)
 * @param prepareTtlSeconds how long a finished prepare Job is kept; its report is copied into the
 *     revision the moment it ends
 */
public record Defaults(
    String runtimeImage,
    String storageClassName,
    String storageSize,
    Integer maxBatchSize,
    Integer maxBatchDelayMillis,
    Integer queueCapacity,
    Integer drainSeconds,
    Integer preStopSeconds,
    Integer startupSeconds,
    String storageAccessMode,
    Integer prepareDeadlineSeconds,
    Integer prepareBackoffLimit,
    Integer prepareTtlSeconds) {

  public static Defaults standard() {
    return of(null, null);
  }

  /**
   * The standard defaults with a runtime image and a storage class: what most configurations set.
   */
  public static Defaults of(String runtimeImage, String storageClassName) {
    return new Defaults(
        runtimeImage,
        storageClassName,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  public Defaults {
    storageSize = storageSize == null ? "10Gi" : storageSize;
    maxBatchSize = maxBatchSize == null ? ServingDefaults.MAX_BATCH_SIZE : maxBatchSize;
    maxBatchDelayMillis =
        maxBatchDelayMillis == null ? ServingDefaults.MAX_BATCH_DELAY_MS : maxBatchDelayMillis;
    queueCapacity = queueCapacity == null ? ServingDefaults.QUEUE_CAPACITY : queueCapacity;
    drainSeconds = drainSeconds == null ? ServingDefaults.DRAIN_TIMEOUT_SECONDS : drainSeconds;
    preStopSeconds = preStopSeconds == null ? 5 : preStopSeconds;
    startupSeconds = startupSeconds == null ? 600 : startupSeconds;
    storageAccessMode = storageAccessMode == null ? "ReadWriteMany" : storageAccessMode;
    prepareDeadlineSeconds = prepareDeadlineSeconds == null ? 3600 : prepareDeadlineSeconds;
    prepareBackoffLimit = prepareBackoffLimit == null ? 2 : prepareBackoffLimit;
    prepareTtlSeconds = prepareTtlSeconds == null ? 600 : prepareTtlSeconds;
  }
}
