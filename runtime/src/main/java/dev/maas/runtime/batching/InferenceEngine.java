package dev.maas.runtime.batching;

import dev.maas.runtime.metrics.ServerMetrics;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.model.ServableModel;
import dev.maas.runtime.model.TensorSignature;
import dev.maas.runtime.model.TorchErrors;
import dev.maas.runtime.protocol.BadRequestException;
import dev.maas.runtime.protocol.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving pipeline: requests are checked against the signature, queued, joined into batches by
 * the workers and completed through their futures. Each worker owns one predictor over the shared
 * model and warms up every batch size it may run before the engine reports ready, so that the graph
 * executor never profiles a new shape under traffic.
 */
public final class InferenceEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceEngine.class);

  /** Warm-up is capped so that a huge maxBatchSize does not delay readiness for minutes. */
  private static final int MAX_WARMED_BATCH = 256;

  private final ServableModel model;
  private final BatchingConfig config;
  private final ServerMetrics metrics;
  private final BatchQueue queue;
  private final List<Thread> workers = new ArrayList<>();
  private final CountDownLatch warmedUp;
  private volatile boolean ready;
  private volatile List<OutputDescription> outputs = List.of();

  /** One predictor per calling thread for inline runs: a predictor is not thread-safe. */
  private final ThreadLocal<BatchRunner> inlineRunners = new ThreadLocal<>();

  private final List<BatchRunner> allInlineRunners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public InferenceEngine(ServableModel model, BatchingConfig config, ServerMetrics metrics) {
    this.model = model;
    this.config = config;
    this.metrics = metrics;
    this.queue =
        new BatchQueue(config.queueCapacity(), config.maxBatchSize(), config.maxDelayMillis());
    this.warmedUp = new CountDownLatch(config.workers());
  }

  /** Starts the workers and waits until each has warmed up; then the engine is ready. */
  public void start() throws InterruptedException {
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < config.workers(); i++) {
      Thread worker = new Thread(() -> workLoop(failures), "inference-worker-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    warmedUp.await();
    if (!failures.isEmpty()) {
      close();
      Throwable first = failures.get(0);
      throw first instanceof ModelMismatchException mismatch
          ? mismatch
          : new ModelMismatchException(
              "the model does not accept --inputs "
                  + model.signature().map(InputSignature::text).orElse("")
                  + ": "
                  + TorchErrors.causeLine(first.getMessage()));
    }
    ready = true;
  }

  public boolean isReady() {
    return ready;
  }

  /** Outputs as warm-up (or the first request) found them. */
  public List<OutputDescription> outputs() {
    return outputs;
  }

  public int queueDepth() {
    return queue.size();
  }

  public CompletableFuture<List<Tensor>> submit(List<Tensor> requestInputs) {
    if (!ready) {
      throw new NotAcceptingException("model " + model.name() + " is not ready yet");
    }
    List<Tensor> inputs =
        model.signature().map(s -> conform(s, requestInputs)).orElse(requestInputs);
    long rows = inputs.get(0).rows();
    if (rows < 1) {
      throw new BadRequestException("the batch dimension of every input must be at least 1");
    }
    if (rows > config.maxBatchSize()) {
      // As Triton does: a request is one batch at most, so one client cannot hold every worker
      // (and the memory of a forward pass that size) while the requests behind it wait.
      throw new BadRequestException(
          "the request has "
              + rows
              + " rows; this server takes at most "
              + config.maxBatchSize()
              + " per request (--max-batch-size): split it into several requests");
    }
    CompletableFuture<List<Tensor>> result = new CompletableFuture<>();
    PendingInference pending =
        new PendingInference(inputs, batchKey(inputs, rows), rows, System.nanoTime(), result);
    if (queue.tryRunInline()) {
      // Idle: a lone request runs on the calling (event-loop) thread with that thread's own
      // predictor, sparing it two thread hand-offs; under load everything goes through the queue.
      List<Runnable> completions = new ArrayList<>(1);
      try {
        runBatch(inlineRunner(), List.of(pending), completions);
      } finally {
        queue.batchFinished();
      }
      completions.forEach(Runnable::run);
      return result;
    }
    queue.add(pending);
    return result;
  }

  /** Stops accepting, lets the workers finish every queued request, then stops them. */
  @Override
  public void close() {
    ready = false;
    queue.close();
    for (Thread worker : workers) {
      try {
        worker.join(TimeUnit.MINUTES.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    allInlineRunners.forEach(BatchRunner::close);
  }

  private void workLoop(List<Throwable> failures) {
    BatchRunner runner;
    try {
      runner = new BatchRunner(model, config.outputNames());
      warmUp(runner);
    } catch (Throwable t) {
      // Every worker fails the same way: start() reports the first, once, without the traces.
      LOG.debug("worker failed to warm up", t);
      failures.add(t);
      warmedUp.countDown();
      return;
    }
    warmedUp.countDown();
    try {
      while (true) {
        List<PendingInference> batch = queue.takeBatch();
        if (batch.isEmpty()) {
          return;
        }
        List<Runnable> completions = new ArrayList<>(batch.size());
        try {
          runBatch(runner, batch, completions);
        } finally {
          // Before any client hears back: its next request must find this worker free, or the
          // batcher would hold it back waiting for a batch that is already done.
          queue.batchFinished();
        }
        completions.forEach(Runnable::run);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      runner.close();
    }
  }

  /** Runs the batch and queues, in {@code completions}, the answer for each of its requests. */
  private void runBatch(
      BatchRunner runner, List<PendingInference> batch, List<Runnable> completions) {
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
      rememberOutputs(results.get(0), batch.get(0).rows());
      for (int i = 0; i < batch.size(); i++) {
        CompletableFuture<List<Tensor>> future = batch.get(i).result();
        List<Tensor> result = results.get(i);
        completions.add(() -> future.complete(result));
      }
    } catch (BatchRunner.UnsplittableOutputException e) {
      LOG.debug("{}; running the batch request by request", e.getMessage());
      for (PendingInference pending : batch) {
        runBatch(runner, List.of(pending), completions);
      }
    } catch (Throwable t) {
      LOG.warn(
          "forward pass failed for a batch of {} request(s): {}", batch.size(), t.getMessage());
      for (PendingInference pending : batch) {
        completions.add(() -> pending.result().completeExceptionally(t));
      }
    }
  }

  private BatchRunner inlineRunner() {
    BatchRunner runner = inlineRunners.get();
    if (runner == null) {
      runner = new BatchRunner(model, config.outputNames());
      inlineRunners.set(runner);
      allInlineRunners.add(runner);
    }
    return runner;
  }

  private void checkOutputNames(int produced) {
    List<String> names = config.outputNames();
    if (!names.isEmpty() && names.size() != produced) {
      throw new ModelMismatchException(
          "--output-names names "
              + names.size()
              + " output(s) "
              + names
              + " but the model produces "
              + produced);
    }
  }

  private void rememberOutputs(List<Tensor> results, long rows) {
    if (!outputs.isEmpty()) {
      return;
    }
    List<OutputDescription> described = new ArrayList<>();
    for (Tensor t : results) {
      long[] itemShape = t.shape().length > 0 && t.shape()[0] == rows ? t.itemShape() : t.shape();
      described.add(new OutputDescription(t.name(), t.datatype(), itemShape));
    }
    outputs = List.copyOf(described);
  }

  private void warmUp(BatchRunner runner) throws Exception {
    Optional<InputSignature> signature = model.signature();
    if (signature.isEmpty() || !signature.get().canWarmUp()) {
      LOG.warn(
          "no input signature with fixed item shapes: skipping warm-up, so the first requests of"
              + " each new shape will be slow; declare --inputs to avoid it");
      return;
    }
    int largest = Math.min(config.maxBatchSize(), MAX_WARMED_BATCH);
    for (int rows = 1; rows <= largest; rows++) {
      List<Tensor> inputs = zeros(signature.get(), rows);
      // Two passes: the profiling executor records a shape on the first and optimizes on the next.
      for (int pass = 0; pass < 2; pass++) {
        List<List<Tensor>> results = runner.run(List.of(inputs));
        if (rows == 1) {
          rememberOutputs(results.get(0), 1);
          checkOutputNames(results.get(0).size());
        }
      }
    }
  }

  /** Checks the request against the declared inputs and puts its inputs in the model's order. */
  private List<Tensor> conform(InputSignature signature, List<Tensor> request) {
    Map<String, Tensor> byName = new HashMap<>();
    for (Tensor tensor : request) {
      if (byName.put(tensor.name(), tensor) != null) {
        throw new BadRequestException("input '" + tensor.name() + "' is given twice");
      }
    }
    // A misspelt name is reported as what it is, before the input it was meant to be is missed.
    int declared = 0;
    for (TensorSignature expected : signature.inputs()) {
      declared += byName.containsKey(expected.name()) ? 1 : 0;
    }
    if (declared < byName.size()) {
      List<String> unknown =
          byName.keySet().stream().filter(n -> !signature.names().contains(n)).sorted().toList();
      throw new BadRequestException(
          "unknown input(s) "
              + unknown
              + "; model "
              + model.name()
              + " takes "
              + signature.names());
    }
    List<Tensor> ordered = new ArrayList<>(signature.inputs().size());
    for (TensorSignature expected : signature.inputs()) {
      Tensor tensor = byName.remove(expected.name());
      if (tensor == null) {
        throw new BadRequestException(
            "missing input '"
                + expected.name()
                + "'; model "
                + model.name()
                + " takes "
                + signature.inputs());
      }
      if (tensor.datatype() != expected.datatype()) {
        throw new BadRequestException(
            "input '"
                + expected.name()
                + "' must be "
                + expected.datatype()
                + ", got "
                + tensor.datatype());
      }
      if (!expected.accepts(tensor.shape())) {
        throw new BadRequestException(
            "input '"
                + expected.name()
                + "' has shape "
                + Arrays.toString(tensor.shape())
                + "; the model takes "
                + Arrays.toString(expected.shape())
                + " (-1: any size)");
      }
      ordered.add(tensor);
    }
    return ordered;
  }

  /**
   * Requests join a batch only with requests whose inputs have the same datatypes and item shapes
   * and whose inputs agree on the batch dimension; anything else runs alone (null key).
   */
  private static String batchKey(List<Tensor> inputs, long rows) {
    StringBuilder key = new StringBuilder();
    for (Tensor tensor : inputs) {
      if (tensor.shape().length == 0 || tensor.shape()[0] != rows) {
        return null;
      }
      key.append(tensor.datatype().ordinal())
          .append(Arrays.toString(tensor.itemShape()))
          .append('|');
    }
    return key.toString();
  }

  /** Zero-filled inputs with the given rows: warm-up inputs, valid for any datatype. */
  public static List<Tensor> zeros(InputSignature signature, long rows) {
    List<Tensor> inputs = new ArrayList<>();
    for (TensorSignature input : signature.inputs()) {
      long[] shape = input.concreteShape(rows);
      byte[] data =
          new byte[Math.toIntExact(Tensor.elementCount(shape) * input.datatype().bytes())];
      inputs.add(new Tensor(input.name(), input.datatype(), shape, data));
    }
    return inputs;
  }
}
