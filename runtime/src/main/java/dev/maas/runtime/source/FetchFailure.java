package dev.maas.runtime.source;

/**
 * One attempt to read a remote object failed. Retryable failures (5xx, timeouts, a broken or
 * refused connection) are tried again with backoff; the others (403, 404, a bad endpoint) end the
 * fetch at once with this message, which names the location and, for 401/403, the credentials.
 */
public final class FetchFailure extends Exception {
  private final boolean retryable;

  private FetchFailure(String message, boolean retryable, Throwable cause) {
    super(message, cause, false, false);
    this.retryable = retryable;
  }

  public static FetchFailure retryable(String message, Throwable cause) {
    return new FetchFailure(message, true, cause);
  }

  public static FetchFailure fatal(String message) {
    return new FetchFailure(message, false, null);
  }

  public boolean retryable() {
    return retryable;
  }
}
