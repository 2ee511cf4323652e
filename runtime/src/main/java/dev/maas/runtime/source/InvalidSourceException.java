package dev.maas.runtime.source;

/** The location cannot name an artifact: a retry or other credentials cannot help. */
public final class InvalidSourceException extends RuntimeException {
  public InvalidSourceException(String message) {
    super(message);
  }
}
