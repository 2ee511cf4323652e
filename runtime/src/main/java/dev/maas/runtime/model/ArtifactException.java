package dev.maas.runtime.model;

/**
 * The artifact cannot be used: unreachable, unreadable, or not the bytes the sha256 promised. The
 * commands exit non-zero with its message.
 */
public class ArtifactException extends RuntimeException {
  public ArtifactException(String message) {
    super(message);
  }

  public ArtifactException(String message, Throwable cause) {
    super(message, cause);
  }
}
