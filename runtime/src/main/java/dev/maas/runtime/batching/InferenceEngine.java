package dev.maas.runtime.batching;

import dev.maas.runtime.metrics.ServerMetrics;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.model.ModelMismatchException;
import dev.maas.runtime.model.ServableModel;
import dev.maas.runtime.model.TorchErrors;
import dev.maas.runtime.protocol.BadRequestException;
import dev.maas.runtime.protocol.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving pipeline's front and its workers' lifecycle: a request is bound to the model's
 * inputs, bounded to one batch, then either run inline (the model is idle) or queued for the
 * workers, which join queued requests into batches. Each worker owns one predictor and warms it up
 * before the engine reports ready.
 */
public final class InferenceEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceEngine.class);

  private final ServableModel model;
  private final BatchingConfig config;
  private final BatchQueue queue;
  private final ObservedTensors observed = new ObservedTensors();
  private final PassCosts costs = new PassCosts();
  private final BatchExecutor executor;
  private final InlineRunners inline;
  private final List<Thread> workers = new ArrayList<>();
  private final CountDownLatch warmedUp;
  private volatile boolean ready;

  /**
   * @param lanes forward passes that can run at once without slowing each other ({@link
   *     PassLanes}): the batcher waits for a fuller batch only while all of them are busy
   */
  public InferenceEngine(
      ServableModel model, BatchingConfig config, ServerMetrics metrics, int lanes) {
    this.model = model;
    this.config = config;
    this.queue =
        new BatchQueue(
            config.queueCapacity(), config.maxBatchSize(), config.maxDelayMillis(), lanes, costs);
    this.executor = new BatchExecutor(metrics, observed);
    this.inline = new InlineRunners(model, config.outputNames());
    this.warmedUp = new CountDownLatch(config.workers());
  }

  /** Starts the workers and waits until each has warmed up; then the engine is ready. */
  public void start() throws InterruptedException {
    WarmUp warmUp = warmUp();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < config.workers(); i++) {
      Thread worker = new Thread(() -> workLoop(warmUp, failures), "inference-worker-" + i);
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
    PassCosts.PassCost cost = costs.estimate();
    if (!Double.isNaN(cost.fixedNanos())) {
      LOG.info(
          "a forward pass costs about {} ms + {} ms per row after warm-up",
          String.format("%.3f", cost.fixedNanos() / 1e6),
          String.format("%.4f", cost.perRowNanos() / 1e6));
    }
    ready = true;
  }

  public boolean isReady() {
    return ready;
  }

  /** Inputs as warm-up (or the first request) found them. */
  public List<TensorDescription> observedInputs() {
    return observed.inputs();
  }

  /** Outputs as warm-up (or the first request) found them. */
  public List<TensorDescription> outputs() {
    return observed.outputs();
  }

  /** The names requests bind their inputs by, in forward's order; empty: by position. */
  public List<String> inputNames() {
    return model.binding().names();
  }

  public int queueDepth() {
    return queue.size();
  }

  public CompletableFuture<List<Tensor>> submit(List<Tensor> requestInputs) {
    if (!ready) {
      throw new NotAcceptingException("model " + model.name() + " is not ready yet");
    }
    List<Tensor> inputs = model.binding().bind(requestInputs);
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
        new PendingInference(inputs, BatchKey.of(inputs, rows), rows, System.nanoTime(), result);
    if (queue.tryRunInline()) {
      List<Runnable> completions = new ArrayList<>(1);
      try {
        executor.run(inline.current(), List.of(pending), completions);
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
    inline.close();
  }

  private WarmUp warmUp() {
    if (model.signature().isEmpty() || !model.signature().get().canWarmUp()) {
      LOG.warn(
          "no input signature with fixed item shapes: skipping warm-up, so the first requests of"
              + " each new shape will be slow and metadata shows datatypes, shapes and outputs"
              + " only after the first request; declare --inputs to avoid it");
      return null;
    }
    return new WarmUp(model.signature().get(), config.maxBatchSize(), config.outputNames());
  }

  private void workLoop(WarmUp warmUp, List<Throwable> failures) {
    BatchRunner runner;
    try {
      runner = new BatchRunner(model, config.outputNames());
      if (warmUp != null) {
        warmUp.run(runner, observed, costs);
      }
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
          executor.run(runner, batch, completions);
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

  /** Zero-filled inputs with the given rows, for callers that drive the engine directly. */
  public static List<Tensor> zeros(InputSignature signature, long rows) {
    return WarmUp.zeros(signature, rows);
  }
}
