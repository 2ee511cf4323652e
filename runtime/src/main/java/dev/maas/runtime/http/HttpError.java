package dev.maas.runtime.http;

import ai.djl.engine.EngineException;
import ai.djl.translate.TranslateException;
import dev.maas.contract.RuntimeMetrics;
import dev.maas.runtime.batching.NotAcceptingException;
import dev.maas.runtime.batching.QueueFullException;
import dev.maas.runtime.protocol.BadRequestException;
import dev.maas.runtime.protocol.NonFiniteOutputException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: a status, a message for the {@code error}
 * field, a metrics outcome label, for 503s how long the client should wait, and any header the
 * status calls for ({@code Allow} on a 405, {@code WWW-Authenticate} on a 401).
 */
public record HttpError(
    HttpResponseStatus status,
    String message,
    String outcome,
    Integer retryAfterSeconds,
    Map<String, String> headers) {
  private static final Logger LOG = LoggerFactory.getLogger(HttpError.class);

  static HttpError of(HttpResponseStatus status, String message, String outcome) {
    return new HttpError(status, message, outcome, null, Map.of());
  }

  HttpError withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpError(status, message, outcome, retryAfterSeconds, Map.copyOf(more));
  }

  public static HttpError notFound(String message) {
    return of(HttpResponseStatus.NOT_FOUND, message, RuntimeMetrics.OUTCOME_NOT_FOUND);
  }

  public static HttpError from(Throwable failure) {
    Throwable t =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (t instanceof BadRequestException) {
      return of(HttpResponseStatus.BAD_REQUEST, t.getMessage(), RuntimeMetrics.OUTCOME_BAD_REQUEST);
    }
    if (t instanceof QueueFullException) {
      return new HttpError(
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          t.getMessage(),
          RuntimeMetrics.OUTCOME_OVERLOADED,
          1,
          Map.of());
    }
    if (t instanceof NotAcceptingException) {
      return new HttpError(
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          t.getMessage(),
          RuntimeMetrics.OUTCOME_UNAVAILABLE,
          5,
          Map.of());
    }
    if (t instanceof NonFiniteOutputException) {
      return of(
          HttpResponseStatus.INTERNAL_SERVER_ERROR, t.getMessage(), RuntimeMetrics.OUTCOME_ERROR);
    }
    if (t instanceof EngineException || t instanceof TranslateException) {
      return ModelFailure.of(t.getMessage()).toHttpError();
    }
    LOG.error("unexpected failure while serving a request", t);
    return of(
        HttpResponseStatus.INTERNAL_SERVER_ERROR,
        "internal error: " + t,
        RuntimeMetrics.OUTCOME_ERROR);
  }
}
