package dev.maas.runtime.http;

/** The server could not bind its address: the port is taken, or the host is not this machine's. */
public final class ListenException extends RuntimeException {
  public ListenException(String message) {
    super(message, null, false, false);
  }
}
