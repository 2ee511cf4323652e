package dev.maas.runtime.http;

import dev.maas.contract.TensorSignature;
import dev.maas.runtime.batching.InferenceEngine;
import dev.maas.runtime.batching.TensorDescription;
import java.util.List;
import java.util.Optional;

/**
 * What model metadata says, whichever protocol asks: REST writes it as JSON, gRPC as a {@code
 * ModelMetadataResponse}.
 */
public record ModelMetadata(
    String name, String version, String platform, List<Tensor> inputs, List<Tensor> outputs) {

  public static final String PLATFORM = "pytorch_torchscript";

  /** The datatype metadata shows for an input nobody declared and no request has shown yet. */
  public static final String UNDECLARED = "UNDECLARED";

  /** One input or output: -1 in the shape for a dimension of any size. */
  public record Tensor(String name, String datatype, long[] shape) {}

  /**
   * Declared inputs as declared; otherwise as the first request showed them; before that, the names
   * requests bind by, with a datatype that says it was not declared (a client building a request
   * from it fails loudly rather than sending a guess).
   */
  public static ModelMetadata of(ServingState state) {
    Optional<InferenceEngine> engine = state.engine();
    List<Tensor> outputs =
        engine.map(InferenceEngine::outputs).orElse(List.of()).stream()
            .map(ModelMetadata::described)
            .toList();
    return new ModelMetadata(
        state.modelName(), state.modelVersion(), PLATFORM, inputs(state, engine), outputs);
  }

  private static List<Tensor> inputs(ServingState state, Optional<InferenceEngine> engine) {
    if (state.signature().isPresent()) {
      return state.signature().get().inputs().stream()
          .map((TensorSignature in) -> new Tensor(in.name(), in.datatype().name(), in.shape()))
          .toList();
    }
    List<TensorDescription> observed =
        engine.map(InferenceEngine::observedInputs).orElse(List.of());
    if (!observed.isEmpty()) {
      return observed.stream().map(ModelMetadata::described).toList();
    }
    return engine.map(InferenceEngine::inputNames).orElse(List.of()).stream()
        .map(name -> new Tensor(name, UNDECLARED, new long[] {-1}))
        .toList();
  }

  private static Tensor described(TensorDescription tensor) {
    return new Tensor(tensor.name(), tensor.datatype().name(), tensor.batchedShape());
  }
}
