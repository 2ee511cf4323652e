package dev.maas.runtime.batching;

import dev.maas.runtime.protocol.Tensor;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One request waiting for its forward pass.
 *
 * @param batchKey requests are joined only when their keys are equal (same datatypes and item
 *     shapes); a null key means the request must run alone
 * @param rows its share of the batch dimension
 */
record PendingInference(
    List<Tensor> inputs,
    String batchKey,
    long rows,
    long enqueuedNanos,
    CompletableFuture<List<Tensor>> result) {}
