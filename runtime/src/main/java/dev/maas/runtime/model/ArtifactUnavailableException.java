package dev.maas.runtime.model;

/**
 * The artifact's source kept failing in ways a later attempt may not (5xx, timeouts, refused or
 * broken connections) for longer than the retries allowed. Unlike a refusal, a missing object or a
 * digest mismatch, a prepare Job retried later may succeed, so compress exits with its "retry may
 * help" code for it.
 */
public final class ArtifactUnavailableException extends ArtifactException {
  public ArtifactUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
