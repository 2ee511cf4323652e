package dev.maas.runtime.http;

import dev.maas.contract.RuntimeMetrics;
import dev.maas.runtime.model.TorchErrors;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Locale;

/**
 * What libtorch said when a forward pass failed, reduced to the line that says why, and whose fault
 * it is. TorchScript wraps the cause in a traceback of the scripted code ("The following operation
 * failed in the TorchScript interpreter. ... RuntimeError: index out of range in self"): the first
 * line alone tells a client nothing, the whole traceback is too much, the cause line is the answer.
 * A failure caused by the input (a shape, a type, an index) is the client's (400); running out of
 * memory is the server's (503, try again later).
 */
record ModelFailure(String cause, boolean serverSide) {
  static final int MAX_CAUSE = 400;
  private static final List<String> SERVER_SIDE = List.of("out of memory", "cuda error");

  static ModelFailure of(String message) {
    String cause = TorchErrors.causeLine(message);
    String lower = cause.toLowerCase(Locale.ROOT);
    boolean serverSide = SERVER_SIDE.stream().anyMatch(lower::contains);
    if (cause.length() > MAX_CAUSE) {
      cause = cause.substring(0, MAX_CAUSE) + "...";
    }
    return new ModelFailure(cause, serverSide);
  }

  HttpError toHttpError() {
    if (serverSide) {
      return new HttpError(
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          "the model ran out of resources: " + cause,
          RuntimeMetrics.OUTCOME_UNAVAILABLE,
          1,
          java.util.Map.of());
    }
    return HttpError.of(
        HttpResponseStatus.BAD_REQUEST,
        "the model could not run on this input: " + cause,
        RuntimeMetrics.OUTCOME_BAD_REQUEST);
  }
}
