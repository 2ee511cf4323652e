package dev.maas.operator.observe;

import dev.maas.operator.revision.PrepareOutcome;

/**
 * Where the prepare Job of an artifact is: absent, running, finished with an outcome, or finished
 * for a claim that is gone.
 */
public sealed interface PrepareJobState {
  record Absent() implements PrepareJobState {}

  record Running(String job) implements PrepareJobState {}

  /**
   * Finished before the storage claim that is there now was created: it wrote to a claim that is
   * gone, so what it reported says nothing of this one. It must make way for a new Job.
   */
  record Stale(String job) implements PrepareJobState {}

  /** Succeeded or failed: the outcome says which, and why. */
  record Finished(String job, PrepareOutcome outcome) implements PrepareJobState {}
}
