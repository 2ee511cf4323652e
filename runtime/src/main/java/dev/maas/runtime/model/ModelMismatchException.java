package dev.maas.runtime.model;

/**
 * The model and what serve was told about it disagree (its inputs, its number of outputs): found at
 * warm-up, before the server turns ready, so no request is ever served on a wrong promise.
 */
public final class ModelMismatchException extends RuntimeException {
  public ModelMismatchException(String message) {
    super(message, null, false, false);
  }
}
