package dev.maas.runtime.bench;

import ai.djl.Device;
import dev.maas.runtime.batching.BatchingConfig;
import dev.maas.runtime.batching.InferenceEngine;
import dev.maas.runtime.batching.PassLanes;
import dev.maas.runtime.cli.EngineSettings;
import dev.maas.runtime.metrics.ServerMetrics;
import dev.maas.runtime.model.ForwardSignature;
import dev.maas.runtime.model.InputBinding;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.model.ModelLoader;
import dev.maas.runtime.model.ServableModel;
import dev.maas.runtime.protocol.InferenceRequestDecoder;
import dev.maas.runtime.protocol.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The ceiling for the serving benchmark: the same batching engine and predictors as the server,
 * driven by threads in the same JVM, so no HTTP and no JSON. Prints one TSV line per concurrency:
 * {@code concurrency requests/s p50_ms p99_ms}.
 *
 * <p>Usage: {@code InProcessBenchmark MODEL INPUTS MAX_BATCH WORKERS SECONDS C1,C2,... [WARMUP
 * [BODY]]}: first WARMUP seconds (default 0) at the highest concurrency, as the servers get; BODY
 * is the OIP request file the servers are sent, decoded by the server's own decoder, so that the
 * ceiling computes on the same input (default: zeros).
 */
public final class InProcessBenchmark {
  public static void main(String[] args) throws Exception {
    Path modelPath = Path.of(args[0]);
    InputSignature signature = InputSignature.parse(args[1]);
    int maxBatch = Integer.parseInt(args[2]);
    int workers = Integer.parseInt(args[3]);
    double seconds = Double.parseDouble(args[4]);
    int[] concurrencies = Arrays.stream(args[5].split(",")).mapToInt(Integer::parseInt).toArray();
    double warmUpSeconds = args.length > 6 ? Double.parseDouble(args[6]) : 0;
    EngineSettings.apply(Math.max(1, Runtime.getRuntime().availableProcessors() / workers));
    try (ServableModel model =
        new ServableModel(
            "bench",
            "1",
            new ModelLoader().loadTorchScript(modelPath, Device.cpu()),
            Optional.of(signature),
            InputBinding.resolve("bench", Optional.of(signature), ForwardSignature.read(modelPath)),
            Device.cpu(),
            "")) {
      InferenceEngine engine =
          new InferenceEngine(
              model,
              new BatchingConfig(maxBatch, 5, 4096, workers, List.of()),
              new ServerMetrics(() -> 0),
              PassLanes.of(
                  Device.cpu(),
                  workers,
                  Math.max(1, Runtime.getRuntime().availableProcessors() / workers),
                  Runtime.getRuntime().availableProcessors()));
      engine.start();
      List<Tensor> input =
          args.length > 7
              ? new InferenceRequestDecoder()
                  .decode(Files.newInputStream(Path.of(args[7])))
                  .inputs()
              : InferenceEngine.zeros(signature, 1);
      if (warmUpSeconds > 0) {
        run(engine, input, Arrays.stream(concurrencies).max().orElse(1), warmUpSeconds);
      }
      for (int c : concurrencies) {
        run(engine, input, c, Math.min(2, seconds)); // warm-up at this concurrency
        long[] result = run(engine, input, c, seconds);
        System.out.printf(
            "%d\t%.0f\t%.3f\t%.3f%n", c, result[0] / seconds, result[1] / 1e6, result[2] / 1e6);
      }
      engine.close();
    }
  }

  /** Returns {requests, p50 nanos, p99 nanos}. */
  private static long[] run(InferenceEngine engine, List<Tensor> input, int clients, double seconds)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    List<long[]> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    int[] counts = new int[clients];
    for (int i = 0; i < clients; i++) {
      long[] mine = new long[2_000_000];
      latencies.add(mine);
      int index = i;
      Thread t =
          new Thread(
              () -> {
                int n = 0;
                while (!stop.get() && n < mine.length) {
                  long start = System.nanoTime();
                  engine.submit(input).join();
                  mine[n++] = System.nanoTime() - start;
                }
                counts[index] = n;
              });
      threads.add(t);
      t.start();
    }
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int offset = 0;
    for (int i = 0; i < clients; i++) {
      System.arraycopy(latencies.get(i), 0, all, offset, counts[i]);
      offset += counts[i];
    }
    Arrays.sort(all);
    return new long[] {
      total, all[(int) (total * 0.50)], all[Math.min(total - 1, (int) (total * 0.99))]
    };
  }
}
