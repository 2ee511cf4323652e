package dev.maas.runtime.batching;

import dev.maas.runtime.model.ServableModel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Predictors for the inline path: a request that finds the model idle runs on the event-loop thread
 * that decoded it, sparing two thread hand-offs. A predictor is not thread-safe, so each event-loop
 * thread gets its own the first time it runs one; they share the model's weights and its (already
 * warmed-up) graph executor, so each costs only its own small state.
 */
final class InlineRunners implements AutoCloseable {
  private final ServableModel model;
  private final List<String> outputNames;
  private final ThreadLocal<BatchRunner> perThread = new ThreadLocal<>();
  private final List<BatchRunner> all = new CopyOnWriteArrayList<>();

  InlineRunners(ServableModel model, List<String> outputNames) {
    this.model = model;
    this.outputNames = outputNames;
  }

  /** The calling thread's runner, made on first use. */
  BatchRunner current() {
    BatchRunner runner = perThread.get();
    if (runner == null) {
      runner = new BatchRunner(model, outputNames);
      perThread.set(runner);
      all.add(runner);
    }
    return runner;
  }

  int count() {
    return all.size();
  }

  @Override
  public void close() {
    all.forEach(BatchRunner::close);
  }
}
