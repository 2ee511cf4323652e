package dev.maas.runtime.http;

import ai.djl.engine.EngineException;
import ai.djl.translate.TranslateException;
import dev.maas.runtime.batching.NotAcceptingException;
import dev.maas.runtime.batching.QueueFullException;
import dev.maas.runtime.protocol.BadRequestException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: a status, a message for the {@code error}
 * field, a metrics outcome label and, for 503s, how long the client should wait.
 */
record HttpError(
    HttpResponseStatus status, String message, String outcome, Integer retryAfterSeconds) {
  private static final Logger LOG = LoggerFactory.getLogger(HttpError.class);

  static HttpError of(HttpResponseStatus status, String message, String outcome) {
    return new HttpError(status, message, outcome, null);
  }

  static HttpError notFound(String message) {
    return of(HttpResponseStatus.NOT_FOUND, message, "not_found");
  }

  static HttpError from(Throwable failure) {
    Throwable t =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (t instanceof BadRequestException) {
      return of(HttpResponseStatus.BAD_REQUEST, t.getMessage(), "bad_request");
    }
    if (t instanceof QueueFullException) {
      return new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, t.getMessage(), "overloaded", 1);
    }
    if (t instanceof NotAcceptingException) {
      return new HttpError(
          HttpResponseStatus.SERVICE_UNAVAILABLE, t.getMessage(), "unavailable", 5);
    }
    if (t instanceof EngineException || t instanceof TranslateException) {
      // Without a declared signature libtorch is the one that finds a wrong shape or type.
      return of(
          HttpResponseStatus.BAD_REQUEST,
          "the model could not run on this input: " + firstLine(t.getMessage()),
          "bad_request");
    }
    LOG.error("unexpected failure while serving a request", t);
    return of(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + t, "error");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
