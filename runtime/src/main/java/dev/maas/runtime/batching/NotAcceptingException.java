package dev.maas.runtime.batching;

/** The model is not ready yet, or the server has finished draining: 503 with Retry-After. */
public class NotAcceptingException extends RuntimeException {
  public NotAcceptingException(String message) {
    super(message);
  }
}
