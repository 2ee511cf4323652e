package dev.maas.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** How a prepare ended, as the report's {@code status} says it (lower case on the wire). */
public enum PrepareStatus {
  /** The package is written (or was already there) and met the thresholds. */
  OK("ok"),
  /** The acceptance thresholds were not met; no package. */
  REJECTED("rejected"),
  /** Bad input or an unexpected failure, reported by compress itself. */
  ERROR("error"),
  /**
   * The Job failed without a report of its own (deadline, crashes, a pod that vanished): only the
   * operator writes this one.
   */
  FAILED("failed");

  private final String wire;

  PrepareStatus(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  /** The status a wire word names; null for a word this version does not know. */
  @JsonCreator
  public static PrepareStatus fromWire(String word) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(word)).findFirst().orElse(null);
  }

  @Override
  public String toString() {
    return wire;
  }
}
