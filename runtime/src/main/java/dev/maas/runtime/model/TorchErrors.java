package dev.maas.runtime.model;

/**
 * libtorch's errors as a person needs them. TorchScript wraps the cause in a traceback of the
 * scripted code ("The following operation failed in the TorchScript interpreter. ... RuntimeError:
 * mat1 and mat2 shapes cannot be multiplied"): the first line says nothing, the whole traceback is
 * too much, the cause line is the answer.
 */
public final class TorchErrors {
  private TorchErrors() {}

  /** The last "SomethingError: why" line's why, else the last non-blank line. */
  public static String causeLine(String message) {
    if (message == null || message.isBlank()) {
      return "unknown error";
    }
    String[] lines = message.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String line = lines[i].strip();
      int colon = line.indexOf(": ");
      if (colon > 0 && line.substring(0, colon).matches("[A-Za-z_.]*(Error|Exception)")) {
        return line.substring(colon + 2).strip();
      }
    }
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) {
        return lines[i].strip();
      }
    }
    return message;
  }
}
