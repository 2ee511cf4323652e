package dev.maas.runtime.crypto;

/** A key that cannot be used, or a ciphertext it does not open: one line, naming both. */
public final class ModelKeyException extends RuntimeException {
  public ModelKeyException(String message) {
    super(message, null, false, false);
  }
}
