package dev.maas.runtime.batching;

import dev.maas.runtime.metrics.ServerMetrics;
import dev.maas.runtime.protocol.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batch on a runner, for a worker or for the inline path alike, and turns the outcome into
 * one completion per request. Completions are handed back rather than run, so that the caller can
 * free its slot in the queue before any client hears back.
 */
final class BatchExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(BatchExecutor.class);

  private final ServerMetrics metrics;
  private final ObservedTensors observed;

  BatchExecutor(ServerMetrics metrics, ObservedTensors observed) {
    this.metrics = metrics;
    this.observed = observed;
  }

  /** Runs the batch and adds, to {@code completions}, the answer for each of its requests. */
  void run(BatchRunner runner, List<PendingInference> batch, List<Runnable> completions) {
    long now = System.nanoTime();
    long rows = 0;
    List<List<Tensor>> inputs = new ArrayList<>(batch.size());
    for (PendingInference pending : batch) {
      metrics.queueWaited(now - pending.enqueuedNanos());
      rows += pending.rows();
      inputs.add(pending.inputs());
    }
    metrics.batchRan(rows);
    try {
      List<List<Tensor>> results = runner.run(inputs);
      observed.observe(batch.get(0).inputs(), results.get(0), batch.get(0).rows());
      for (int i = 0; i < batch.size(); i++) {
        CompletableFuture<List<Tensor>> future = batch.get(i).result();
        List<Tensor> result = results.get(i);
        completions.add(() -> future.complete(result));
      }
    } catch (BatchRunner.UnsplittableOutputException e) {
      LOG.debug("{}; running the batch request by request", e.getMessage());
      for (PendingInference pending : batch) {
        run(runner, List.of(pending), completions);
      }
    } catch (Throwable t) {
      LOG.warn(
          "forward pass failed for a batch of {} request(s): {}", batch.size(), t.getMessage());
      for (PendingInference pending : batch) {
        completions.add(() -> pending.result().completeExceptionally(t));
      }
    }
  }
}
