package dev.maas.runtime.protocol;

/** The client sent something the protocol or the model cannot accept: answered with a 400. */
public class BadRequestException extends RuntimeException {
  public BadRequestException(String message) {
    super(message);
  }
}
