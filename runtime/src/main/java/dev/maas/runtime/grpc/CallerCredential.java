package dev.maas.runtime.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Carries a call's {@code authorization} metadata (what REST reads from the {@code Authorization}
 * header) to the service method, which decides on it as REST does.
 */
final class CallerCredential implements ServerInterceptor {
  private static final Metadata.Key<String> HEADER =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> AUTHORIZATION = Context.key("authorization");

  /** The current call's {@code authorization} value; null when it sent none. */
  static String current() {
    return AUTHORIZATION.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String value = headers.get(HEADER);
    if (value == null) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(
        Context.current().withValue(AUTHORIZATION, value), call, headers, next);
  }
}
