package dev.maas.runtime.cli;

import dev.maas.runtime.ModelServer;
import dev.maas.runtime.batching.BatchingConfig;
import dev.maas.runtime.compress.ModelPackage;
import dev.maas.runtime.http.ConnectionLimits;
import dev.maas.runtime.http.ListenException;
import dev.maas.runtime.model.ArtifactException;
import dev.maas.runtime.model.DeviceChoice;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.model.ModelMismatchException;
import dev.maas.runtime.model.ServedName;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: every flag has an environment variable, since the operator configures the runtime
 * container through env rather than arguments.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = ServeCommand.EXIT_USAGE,
    description =
        "Serve a TorchScript model over the Open Inference Protocol (KServe V2) REST API.")
public final class ServeCommand implements Callable<Integer> {
  /** Exit code for an artifact that cannot be fetched, verified or loaded. */
  public static final int EXIT_BAD_ARTIFACT = 2;

  /** The model disagrees with --inputs or --output-names (found at warm-up). */
  public static final int EXIT_MODEL_MISMATCH = 3;

  /** The port is taken or cannot be bound. */
  public static final int EXIT_CANNOT_LISTEN = 4;

  /** A flag is unknown or its value is invalid (sysexits' EX_USAGE). */
  public static final int EXIT_USAGE = 64;

  @Option(
      names = "--model",
      required = true,
      defaultValue = "${env:MAAS_MODEL_URI}",
      description = "Model path, file: or http(s) URI (env MAAS_MODEL_URI).")
  String model;

  @Option(
      names = "--sha256",
      defaultValue = "${env:MAAS_MODEL_SHA256}",
      description =
          "Expected sha256 of the artifact; a mismatch is refused (env MAAS_MODEL_SHA256).")
  String sha256;

  @Option(
      names = "--served-name",
      defaultValue = "${env:MAAS_SERVED_NAME}",
      description =
          "Name in /v2/models/{name}; default: the file name without extension (env MAAS_SERVED_NAME).")
  String servedName;

  @Option(
      names = "--model-version",
      defaultValue = "${env:MAAS_MODEL_VERSION:-1}",
      description =
          "Version reported in metadata and accepted in /versions/{v} (env MAAS_MODEL_VERSION).")
  String modelVersion;

  @Option(
      names = "--inputs",
      defaultValue = "${env:MAAS_INPUTS}",
      description =
          "Input signature name:DATATYPE:dims;... e.g. input:FP32:-1,64 (env MAAS_INPUTS). Enables"
              + " request checks, metadata and warm-up.")
  String inputs;

  @Option(
      names = "--output-names",
      defaultValue = "${env:MAAS_OUTPUT_NAMES}",
      split = ",",
      description =
          "Names of the model's outputs in order; default output0, output1, ... (env MAAS_OUTPUT_NAMES).")
  List<String> outputNames;

  @Option(
      names = "--host",
      defaultValue = "${env:MAAS_HOST:-0.0.0.0}",
      description = "Address to bind (env MAAS_HOST).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "${env:MAAS_PORT:-8080}",
      description = "HTTP port; 0 picks a free one (env MAAS_PORT).")
  int port;

  @Option(
      names = "--max-batch-size",
      defaultValue = "${env:MAAS_MAX_BATCH_SIZE:-32}",
      description =
          "Most rows joined into one forward pass; 1 turns batching off (env MAAS_MAX_BATCH_SIZE).")
  int maxBatchSize;

  @Option(
      names = "--max-batch-delay-ms",
      defaultValue = "${env:MAAS_MAX_BATCH_DELAY_MS:-5}",
      description = "Longest wait for a batch to fill, in ms (env MAAS_MAX_BATCH_DELAY_MS).")
  int maxBatchDelayMillis;

  @Option(
      names = "--queue-capacity",
      defaultValue = "${env:MAAS_QUEUE_CAPACITY:-512}",
      description =
          "Requests that may wait; beyond it 503 with Retry-After (env MAAS_QUEUE_CAPACITY).")
  int queueCapacity;

  @Option(
      names = "--workers",
      defaultValue = "${env:MAAS_WORKERS:-0}",
      description =
          "Inference worker threads, each with its own predictor; 0 = auto (env MAAS_WORKERS).")
  int workers;

  @Option(
      names = "--threads-per-worker",
      defaultValue = "${env:MAAS_THREADS_PER_WORKER:-0}",
      description = "libtorch intra-op threads; 0 = cores / workers (env MAAS_THREADS_PER_WORKER).")
  int threadsPerWorker;

  @Option(
      names = "--io-threads",
      defaultValue = "${env:MAAS_IO_THREADS:-0}",
      description = "HTTP event-loop threads; 0 = auto (env MAAS_IO_THREADS).")
  int ioThreads;

  @Option(
      names = "--device",
      defaultValue = "${env:MAAS_DEVICE:-auto}",
      description = "auto (GPU when visible), cpu or gpu (env MAAS_DEVICE).")
  DeviceChoice device;

  @Option(
      names = "--max-request-bytes",
      defaultValue = "${env:MAAS_MAX_REQUEST_BYTES:-16777216}",
      description = "Largest request body; larger ones get 413 (env MAAS_MAX_REQUEST_BYTES).")
  int maxRequestBytes;

  @Option(
      names = "--max-connections",
      defaultValue = "${env:MAAS_MAX_CONNECTIONS:-1024}",
      description = "Open connections at most; more get 503 (env MAAS_MAX_CONNECTIONS).")
  int maxConnections;

  @Option(
      names = "--idle-timeout-seconds",
      defaultValue = "${env:MAAS_IDLE_TIMEOUT_SECONDS:-60}",
      description =
          "Close a keep-alive connection idle this long with nothing in flight"
              + " (env MAAS_IDLE_TIMEOUT_SECONDS).")
  int idleTimeoutSeconds;

  @Option(
      names = "--request-read-timeout-seconds",
      defaultValue = "${env:MAAS_REQUEST_READ_TIMEOUT_SECONDS:-30}",
      description =
          "A request must arrive whole within this time of its first byte, else 408"
              + " (env MAAS_REQUEST_READ_TIMEOUT_SECONDS).")
  int requestReadTimeoutSeconds;

  @Option(
      names = "--drain-timeout-seconds",
      defaultValue = "${env:MAAS_DRAIN_TIMEOUT_SECONDS:-30}",
      description =
          "On SIGTERM, how long accepted requests may take before exit (env MAAS_DRAIN_TIMEOUT_SECONDS).")
  int drainTimeoutSeconds;

  @Option(
      names = "--cache-dir",
      defaultValue = "${env:MAAS_CACHE_DIR:-${sys:java.io.tmpdir}/maas-cache}",
      description = "Where downloaded artifacts are kept (env MAAS_CACHE_DIR).")
  Path cacheDir;

  /**
   * Every way start-up can fail ends in one line on stderr naming the flag or the artifact, and an
   * exit code of its own; the drain hook is only installed once the model serves.
   */
  @Override
  public Integer call() throws Exception {
    ServeConfig config;
    try {
      config = toConfig();
    } catch (IllegalArgumentException e) {
      System.err.println("serve: " + e.getMessage());
      return EXIT_USAGE;
    }
    EngineSettings.apply(config.intraOpThreads());
    ModelServer server;
    try {
      server = ModelServer.listen(config);
    } catch (ListenException e) {
      System.err.println("serve: " + e.getMessage());
      return EXIT_CANNOT_LISTEN;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread drainOnSigterm =
        new Thread(
            () -> {
              server.drain(config.drainTimeout());
              stopped.countDown();
            },
            "drain");
    Runtime.getRuntime().addShutdownHook(drainOnSigterm);
    int failed;
    try {
      server.loadModel();
      stopped.await();
      return 0;
    } catch (ArtifactException e) {
      System.err.println("serve: " + e.getMessage());
      failed = EXIT_BAD_ARTIFACT;
    } catch (ModelMismatchException e) {
      System.err.println("serve: " + e.getMessage());
      failed = EXIT_MODEL_MISMATCH;
    }
    Runtime.getRuntime().removeShutdownHook(drainOnSigterm);
    server.close();
    return failed;
  }

  ServeConfig toConfig() {
    int cores = Runtime.getRuntime().availableProcessors();
    int workerCount = workers > 0 ? workers : Math.min(4, Math.max(2, cores / 4));
    int threads = threadsPerWorker > 0 ? threadsPerWorker : Math.max(1, cores / workerCount);
    int io = ioThreads > 0 ? ioThreads : Math.max(1, Math.min(4, cores));
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
    }
    if (maxBatchSize < 1 || queueCapacity < 1 || maxBatchDelayMillis < 0) {
      throw new IllegalArgumentException(
          "--max-batch-size and --queue-capacity must be at least 1, --max-batch-delay-ms at least 0");
    }
    Optional<InputSignature> signature =
        Optional.ofNullable(blankToNull(inputs)).map(InputSignature::parse);
    String name = blankToNull(servedName) != null ? servedName : defaultServedName(model);
    return new ServeConfig(
        model,
        Optional.ofNullable(blankToNull(sha256)),
        name,
        modelVersion,
        signature,
        host,
        port,
        maxRequestBytes,
        new ConnectionLimits(
            maxConnections,
            Duration.ofSeconds(idleTimeoutSeconds),
            Duration.ofSeconds(requestReadTimeoutSeconds)),
        new BatchingConfig(
            maxBatchSize,
            maxBatchDelayMillis,
            queueCapacity,
            workerCount,
            outputNames == null ? List.of() : outputNames.stream().map(String::trim).toList()),
        device,
        threads,
        io,
        Duration.ofSeconds(drainTimeoutSeconds),
        cacheDir);
  }

  /**
   * The file's name without its extension; for a compressed package (named by its 64-hex key) the
   * name of the model it was made from, as its manifest records it.
   */
  private static String defaultServedName(String location) {
    try {
      Path local = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
      if (Files.isRegularFile(local) && ModelPackage.isPackage(local)) {
        String source = ModelPackage.readManifest(local).sourceName();
        if (source != null && !source.isBlank()) {
          return source;
        }
      }
    } catch (IOException | RuntimeException notALocalPackage) {
      // a URL, or not a readable package: named by its location
    }
    return ServedName.fromLocation(location);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
