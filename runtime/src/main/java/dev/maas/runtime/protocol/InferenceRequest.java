package dev.maas.runtime.protocol;

import java.util.List;
import java.util.Map;

/**
 * A decoded {@code /infer} request.
 *
 * @param id echoed in the response when present
 * @param inputs in the model's input order once validated against the signature
 * @param requestedOutputs names from the request's {@code outputs}; empty means all outputs
 * @param binaryOutputs which outputs the client wants as binary tensor data
 */
public record InferenceRequest(
    String id, List<Tensor> inputs, List<String> requestedOutputs, BinaryOutputs binaryOutputs) {

  public InferenceRequest(String id, List<Tensor> inputs, List<String> requestedOutputs) {
    this(id, inputs, requestedOutputs, BinaryOutputs.NONE);
  }

  /**
   * The binary tensor data extension's choice: {@code binary_data_output} on the request for all
   * outputs, overridden per output by its {@code binary_data}.
   */
  public record BinaryOutputs(boolean all, Map<String, Boolean> perOutput) {
    public static final BinaryOutputs NONE = new BinaryOutputs(false, Map.of());

    public BinaryOutputs {
      perOutput = Map.copyOf(perOutput);
    }

    public boolean binary(String output) {
      return perOutput.getOrDefault(output, all);
    }

    public boolean any(List<Tensor> outputs) {
      if (this == NONE) {
        return false;
      }
      return outputs.stream().anyMatch(t -> binary(t.name()));
    }
  }
}
