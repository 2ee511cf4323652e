package dev.maas.runtime.protocol;

import java.util.List;

/**
 * A decoded {@code /infer} request.
 *
 * @param id echoed in the response when present
 * @param inputs in the model's input order once validated against the signature
 * @param requestedOutputs names from the request's {@code outputs}; empty means all outputs
 */
public record InferenceRequest(String id, List<Tensor> inputs, List<String> requestedOutputs) {}
