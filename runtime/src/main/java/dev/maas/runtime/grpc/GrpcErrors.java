package dev.maas.runtime.grpc;

import dev.maas.contract.RuntimeMetrics;
import dev.maas.runtime.http.HttpError;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.Map;

/**
 * REST's answers as gRPC statuses, so that both protocols fail the same way for the same cause: the
 * code gRPC's own HTTP mapping pairs with the status, the same message, and what the HTTP answer
 * says in headers as trailers: how long to wait before retrying ({@code grpc-retry-pushback-ms},
 * which grpc clients with a retry policy obey) and the authentication challenge.
 */
final class GrpcErrors {
  /** gRFC A6's server pushback: milliseconds before the client should try again. */
  static final Metadata.Key<String> RETRY_PUSHBACK_MS =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private GrpcErrors() {}

  static StatusRuntimeException from(HttpError error) {
    Metadata trailers = new Metadata();
    if (error.retryAfterSeconds() != null) {
      trailers.put(RETRY_PUSHBACK_MS, Long.toString(error.retryAfterSeconds() * 1000L));
    }
    for (Map.Entry<String, String> header : error.headers().entrySet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!name.equals("allow")) {
        trailers.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), header.getValue());
      }
    }
    return code(error).withDescription(error.message()).asRuntimeException(trailers);
  }

  /**
   * RFC 9110 statuses as the gRPC codes their meaning names; of the 503s, a full queue is
   * RESOURCE_EXHAUSTED (this server is busy: back off) and the rest UNAVAILABLE (loading, draining,
   * out of memory: try again, perhaps another replica).
   */
  static Status code(HttpError error) {
    if (RuntimeMetrics.OUTCOME_OVERLOADED.equals(error.outcome())) {
      return Status.RESOURCE_EXHAUSTED;
    }
    return switch (error.status().code()) {
      case 400 -> Status.INVALID_ARGUMENT;
      case 401 -> Status.UNAUTHENTICATED;
      case 403 -> Status.PERMISSION_DENIED;
      case 404 -> Status.NOT_FOUND;
      case 405 -> Status.UNIMPLEMENTED;
      case 413, 429 -> Status.RESOURCE_EXHAUSTED;
      case 503 -> Status.UNAVAILABLE;
      case 504 -> Status.DEADLINE_EXCEEDED;
      default -> Status.INTERNAL;
    };
  }
}
