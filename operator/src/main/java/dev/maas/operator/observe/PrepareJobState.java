package dev.maas.operator.observe;

import dev.maas.operator.revision.PrepareOutcome;

/** Where the prepare Job of an artifact is: absent, running, or finished with an outcome. */
public sealed interface PrepareJobState {
  record Absent() implements PrepareJobState {}

  record Running(String job) implements PrepareJobState {}

  /** Succeeded or failed: the outcome says which, and why. */
  record Finished(String job, PrepareOutcome outcome) implements PrepareJobState {}
}
