package dev.maas.runtime.protocol;

/**
 * A model produced NaN or infinity in an output. JSON has no literal for them, and a quoted "NaN"
 * inside a numeric tensor breaks every client that trusts the datatype, so the response is refused
 * rather than encoded wrong.
 */
public final class NonFiniteOutputException extends RuntimeException {
  public NonFiniteOutputException(String output, long index, double value) {
    super(
        "the model's output '"
            + output
            + "' holds "
            + value
            + " at element "
            + index
            + ", which JSON cannot carry; the model produced a non-finite number for this input",
        null,
        false,
        false);
  }
}
