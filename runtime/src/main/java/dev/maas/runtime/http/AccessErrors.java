package dev.maas.runtime.http;

import dev.maas.contract.RuntimeMetrics;
import dev.maas.runtime.access.AccessDecision;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Access control's refusals as HTTP answers (RFC 6750's challenge on a 401). */
public final class AccessErrors {
  private AccessErrors() {}

  public static HttpError unauthenticated(String model, AccessDecision.Unauthenticated denied) {
    String challenge =
        "Bearer realm=\""
            + model
            + "\""
            + (denied.credentialPresented() ? ", error=\"invalid_token\"" : "");
    return HttpError.of(
            HttpResponseStatus.UNAUTHORIZED,
            denied.reason(),
            RuntimeMetrics.OUTCOME_UNAUTHENTICATED)
        .withHeader("WWW-Authenticate", challenge);
  }

  public static HttpError forbidden(AccessDecision.Forbidden denied) {
    return HttpError.of(
        HttpResponseStatus.FORBIDDEN,
        denied.caller() + " may not use this model: " + denied.reason(),
        RuntimeMetrics.OUTCOME_FORBIDDEN);
  }

  /** The check itself failed (the API server did not answer): the client may retry. */
  public static HttpError cannotCheck(Throwable failure) {
    return new HttpError(
        HttpResponseStatus.SERVICE_UNAVAILABLE,
        "the credential cannot be checked now: " + failure.getMessage(),
        RuntimeMetrics.OUTCOME_UNAVAILABLE,
        1,
        java.util.Map.of());
  }
}
