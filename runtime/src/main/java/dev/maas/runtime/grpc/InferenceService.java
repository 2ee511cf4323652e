package dev.maas.runtime.grpc;

import dev.maas.contract.RuntimeMetrics;
import dev.maas.runtime.access.Access;
import dev.maas.runtime.access.AccessDecision;
import dev.maas.runtime.batching.InferenceEngine;
import dev.maas.runtime.grpc.v2.GRPCInferenceServiceGrpc;
import dev.maas.runtime.grpc.v2.ModelInferRequest;
import dev.maas.runtime.grpc.v2.ModelInferResponse;
import dev.maas.runtime.grpc.v2.ModelMetadataRequest;
import dev.maas.runtime.grpc.v2.ModelMetadataResponse;
import dev.maas.runtime.grpc.v2.ModelReadyRequest;
import dev.maas.runtime.grpc.v2.ModelReadyResponse;
import dev.maas.runtime.grpc.v2.ServerLiveRequest;
import dev.maas.runtime.grpc.v2.ServerLiveResponse;
import dev.maas.runtime.grpc.v2.ServerMetadataRequest;
import dev.maas.runtime.grpc.v2.ServerMetadataResponse;
import dev.maas.runtime.grpc.v2.ServerReadyRequest;
import dev.maas.runtime.grpc.v2.ServerReadyResponse;
import dev.maas.runtime.http.AccessErrors;
import dev.maas.runtime.http.HttpError;
import dev.maas.runtime.http.ModelMetadata;
import dev.maas.runtime.http.OutputSelection;
import dev.maas.runtime.http.ServerIdentity;
import dev.maas.runtime.http.ServingState;
import dev.maas.runtime.metrics.ServerMetrics;
import dev.maas.runtime.protocol.Tensor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Open Inference Protocol's {@code GRPCInferenceService} over the same model, queue, access
 * control, metrics and shadow mirror as REST: a gRPC request is counted, refused and answered as
 * the REST request with the same content would be, only in gRPC's words ({@link GrpcErrors}).
 */
final class InferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
  private final ServingState state;
  private final ServerMetrics metrics;
  private final Access access;

  InferenceService(ServingState state, ServerMetrics metrics, Access access) {
    this.state = state;
    this.metrics = metrics;
    this.access = access;
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
    observer.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
    observer.onCompleted();
  }

  @Override
  public void serverReady(
      ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
    observer.onNext(ServerReadyResponse.newBuilder().setReady(state.ready()).build());
    observer.onCompleted();
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
    observer.onNext(
        ServerMetadataResponse.newBuilder()
            .setName(ServerIdentity.NAME)
            .setVersion(ServerIdentity.VERSION)
            .addAllExtensions(ServerIdentity.EXTENSIONS)
            .build());
    observer.onCompleted();
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
    answerForModel(
        request.getName(),
        request.getVersion(),
        observer,
        () -> ModelReadyResponse.newBuilder().setReady(state.ready()).build());
  }

  @Override
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
    answerForModel(
        request.getName(), request.getVersion(), observer, () -> metadata(ModelMetadata.of(state)));
  }

  /** A model endpoint other than inference: the model checked, then access, then the answer. */
  private <T> void answerForModel(
      String name, String version, StreamObserver<T> observer, Supplier<T> answer) {
    if (refusedModel(name, version, observer, false)) {
      return;
    }
    authorized(
        CallerCredential.current(),
        observer,
        false,
        caller -> {
          observer.onNext(answer.get());
          observer.onCompleted();
        });
  }

  private static ModelMetadataResponse metadata(ModelMetadata metadata) {
    ModelMetadataResponse.Builder response =
        ModelMetadataResponse.newBuilder()
            .setName(metadata.name())
            .addVersions(metadata.version())
            .setPlatform(metadata.platform());
    for (ModelMetadata.Tensor input : metadata.inputs()) {
      response.addInputs(tensorMetadata(input));
    }
    for (ModelMetadata.Tensor output : metadata.outputs()) {
      response.addOutputs(tensorMetadata(output));
    }
    return response.build();
  }

  private static ModelMetadataResponse.TensorMetadata tensorMetadata(ModelMetadata.Tensor tensor) {
    ModelMetadataResponse.TensorMetadata.Builder built =
        ModelMetadataResponse.TensorMetadata.newBuilder()
            .setName(tensor.name())
            .setDatatype(tensor.datatype());
    for (long dim : tensor.shape()) {
      built.addShape(dim);
    }
    return built.build();
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
    // A client that gives up (cancel, deadline) gets nothing more; the answer is dropped quietly.
    ((ServerCallStreamObserver<ModelInferResponse>) observer).setOnCancelHandler(() -> {});
    if (refusedModel(request.getModelName(), request.getModelVersion(), observer, true)) {
      return;
    }
    String authorization = access.required() ? CallerCredential.current() : null;
    authorized(
        authorization, observer, true, caller -> infer(request, observer, caller, authorization));
  }

  private void infer(
      ModelInferRequest request,
      StreamObserver<ModelInferResponse> observer,
      String caller,
      String authorization) {
    long start = System.nanoTime();
    metrics.requestStarted();
    try {
      InferenceEngine engine = state.acceptingEngine();
      InferRequests.Decoded decoded = InferRequests.decode(request);
      OutputSelection.check(decoded.request().requestedOutputs(), engine.outputs());
      engine
          .submit(decoded.request().inputs())
          .whenComplete(
              (outputs, failure) -> {
                if (failure != null) {
                  fail(observer, HttpError.from(failure), start, caller);
                } else {
                  respond(observer, decoded, outputs, start, caller, authorization);
                }
              });
    } catch (RuntimeException e) {
      fail(observer, HttpError.from(e), start, caller);
    }
  }

  private void respond(
      StreamObserver<ModelInferResponse> observer,
      InferRequests.Decoded decoded,
      List<Tensor> outputs,
      long start,
      String caller,
      String authorization) {
    ModelInferResponse response;
    try {
      List<Tensor> selected = OutputSelection.select(outputs, decoded.request().requestedOutputs());
      response =
          InferResponses.encode(
              state.modelName(),
              state.modelVersion(),
              decoded.request().id(),
              selected,
              decoded.raw());
    } catch (RuntimeException e) {
      fail(observer, HttpError.from(e), start, caller);
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
    metrics.requestFinished(state.modelName(), RuntimeMetrics.OUTCOME_OK, start, caller);
    state
        .answers()
        .answered(decoded.request().id(), decoded.request().inputs(), outputs, authorization);
  }

  private void fail(StreamObserver<?> observer, HttpError error, long start, String caller) {
    observer.onError(GrpcErrors.from(error));
    metrics.requestFinished(state.modelName(), error.outcome(), start, caller);
  }

  /**
   * Refuses a request for another model or version (NOT_FOUND, as REST's 404); an empty version
   * means the one served.
   */
  private boolean refusedModel(
      String name, String version, StreamObserver<?> observer, boolean inference) {
    HttpError error = null;
    if (!name.equals(state.modelName())) {
      error =
          HttpError.notFound(
              "unknown model '" + name + "'; this server serves '" + state.modelName() + "'");
    } else if (!version.isEmpty() && !version.equals(state.modelVersion())) {
      error =
          HttpError.notFound(
              "model "
                  + name
                  + " has no version '"
                  + version
                  + "'; versions: ["
                  + state.modelVersion()
                  + "]");
    }
    if (error == null) {
      return false;
    }
    refuse(observer, error, inference);
    return true;
  }

  private void refuse(StreamObserver<?> observer, HttpError error, boolean inference) {
    if (inference) {
      metrics.requestRefused(state.modelName(), error.outcome());
    }
    observer.onError(GrpcErrors.from(error));
  }

  /**
   * Runs {@code allowed} with the caller's name once access control admits the call; refuses it
   * otherwise, as REST refuses the same credential. A decision that asks the API server completes
   * on its thread, never blocking the transport's.
   */
  private void authorized(
      String authorization,
      StreamObserver<?> observer,
      boolean inference,
      Consumer<String> allowed) {
    if (!access.required()) {
      allowed.accept(null);
      return;
    }
    CompletableFuture<AccessDecision> decision = access.check(authorization);
    decision.whenComplete(
        (decided, failure) -> {
          if (failure != null) {
            refuse(observer, AccessErrors.cannotCheck(failure), inference);
            return;
          }
          decided.accept(
              new AccessDecision.Cases<Void>() {
                @Override
                public Void allowed(AccessDecision.Allowed admitted) {
                  allowed.accept(admitted.caller());
                  return null;
                }

                @Override
                public Void unauthenticated(AccessDecision.Unauthenticated denied) {
                  metrics.requestDenied(state.modelName(), RuntimeMetrics.OUTCOME_UNAUTHENTICATED);
                  refuse(
                      observer, AccessErrors.unauthenticated(state.modelName(), denied), inference);
                  return null;
                }

                @Override
                public Void forbidden(AccessDecision.Forbidden denied) {
                  metrics.requestDenied(state.modelName(), RuntimeMetrics.OUTCOME_FORBIDDEN);
                  refuse(observer, AccessErrors.forbidden(denied), inference);
                  return null;
                }
              });
        });
  }
}
