package dev.maas.runtime.cli;

import dev.maas.contract.DeviceChoice;
import dev.maas.contract.PodLayout;
import dev.maas.contract.ServeFlags;
import dev.maas.contract.ServingDefaults;
import dev.maas.runtime.access.KubernetesAuth;
import dev.maas.runtime.batching.BatchingConfig;
import dev.maas.runtime.compress.ModelPackage;
import dev.maas.runtime.http.ConnectionLimits;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.model.ServedName;
import dev.maas.runtime.server.ServeConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * serve's options. Every flag has an environment variable (named in the contract), since the
 * operator configures the runtime container through env rather than arguments.
 */
public final class ServeOptions {
  @Option(
      names = ServeFlags.MODEL,
      required = true,
      defaultValue = "${env:" + ServeFlags.ENV_MODEL_URI + "}",
      description = "Model path, file: or http(s) URI (env MAAS_MODEL_URI).")
  String model;

  @Option(
      names = ServeFlags.SHA256,
      defaultValue = "${env:" + ServeFlags.ENV_MODEL_SHA256 + "}",
      description =
          "Expected sha256 of the artifact; a mismatch is refused (env MAAS_MODEL_SHA256).")
  String sha256;

  @Option(
      names = ServeFlags.SERVED_NAME,
      defaultValue = "${env:" + ServeFlags.ENV_SERVED_NAME + "}",
      description =
          "Name in /v2/models/{name}; default: the file name without extension (env MAAS_SERVED_NAME).")
  String servedName;

  @Option(
      names = ServeFlags.MODEL_VERSION,
      defaultValue = "${env:" + ServeFlags.ENV_MODEL_VERSION + ":-1}",
      description =
          "Version reported in metadata and accepted in /versions/{v} (env MAAS_MODEL_VERSION).")
  String modelVersion;

  @Option(
      names = ServeFlags.INPUTS,
      defaultValue = "${env:" + ServeFlags.ENV_INPUTS + "}",
      description =
          "Input signature name:DATATYPE:dims;... e.g. input:FP32:-1,64 (env MAAS_INPUTS). Enables"
              + " request checks, metadata and warm-up.")
  String inputs;

  @Option(
      names = ServeFlags.OUTPUT_NAMES,
      defaultValue = "${env:" + ServeFlags.ENV_OUTPUT_NAMES + "}",
      split = ",",
      description =
          "Names of the model's outputs in order; default output0, output1, ... (env MAAS_OUTPUT_NAMES).")
  List<String> outputNames;

  @Option(
      names = ServeFlags.HOST,
      defaultValue = "${env:" + ServeFlags.ENV_HOST + ":-0.0.0.0}",
      description = "Address to bind (env MAAS_HOST).")
  String host;

  @Option(
      names = ServeFlags.PORT,
      defaultValue = "${env:" + ServeFlags.ENV_PORT + ":-" + PodLayout.HTTP_PORT + "}",
      description = "HTTP port; 0 picks a free one (env MAAS_PORT).")
  int port;

  @Option(
      names = ServeFlags.GRPC_PORT,
      defaultValue = "${env:" + ServeFlags.ENV_GRPC_PORT + ":-" + PodLayout.GRPC_PORT + "}",
      description =
          "Open Inference Protocol gRPC port (KServe V2 GRPCInferenceService); 0 turns gRPC off"
              + " (env MAAS_GRPC_PORT). Same model, queue, limits, access control and TLS as REST.")
  int grpcPort;

  @Option(
      names = ServeFlags.MAX_BATCH_SIZE,
      defaultValue =
          "${env:" + ServeFlags.ENV_MAX_BATCH_SIZE + ":-" + ServingDefaults.MAX_BATCH_SIZE + "}",
      description =
          "Most rows joined into one forward pass; 1 turns batching off (env MAAS_MAX_BATCH_SIZE).")
  int maxBatchSize;

  @Option(
      names = ServeFlags.MAX_BATCH_DELAY_MS,
      defaultValue =
          "${env:"
              + ServeFlags.ENV_MAX_BATCH_DELAY_MS
              + ":-"
              + ServingDefaults.MAX_BATCH_DELAY_MS
              + "}",
      description = "Longest wait for a batch to fill, in ms (env MAAS_MAX_BATCH_DELAY_MS).")
  int maxBatchDelayMillis;

  @Option(
      names = ServeFlags.QUEUE_CAPACITY,
      defaultValue =
          "${env:" + ServeFlags.ENV_QUEUE_CAPACITY + ":-" + ServingDefaults.QUEUE_CAPACITY + "}",
      description =
          "Requests that may wait; beyond it 503 with Retry-After (env MAAS_QUEUE_CAPACITY).")
  int queueCapacity;

  @Option(
      names = ServeFlags.WORKERS,
      defaultValue = "${env:" + ServeFlags.ENV_WORKERS + ":-0}",
      description =
          "Inference worker threads, each with its own predictor; 0 = auto (env MAAS_WORKERS).")
  int workers;

  @Option(
      names = ServeFlags.THREADS_PER_WORKER,
      defaultValue = "${env:" + ServeFlags.ENV_THREADS_PER_WORKER + ":-0}",
      description = "libtorch intra-op threads; 0 = cores / workers (env MAAS_THREADS_PER_WORKER).")
  int threadsPerWorker;

  @Option(
      names = ServeFlags.IO_THREADS,
      defaultValue = "${env:" + ServeFlags.ENV_IO_THREADS + ":-0}",
      description = "HTTP event-loop threads; 0 = auto (env MAAS_IO_THREADS).")
  int ioThreads;

  @Option(
      names = ServeFlags.DEVICE,
      defaultValue = "${env:" + ServeFlags.ENV_DEVICE + ":-auto}",
      description = "auto (GPU when visible), cpu or gpu (env MAAS_DEVICE).")
  DeviceChoice device;

  @Option(
      names = ServeFlags.MAX_REQUEST_BYTES,
      defaultValue = "${env:" + ServeFlags.ENV_MAX_REQUEST_BYTES + ":-16777216}",
      description = "Largest request body; larger ones get 413 (env MAAS_MAX_REQUEST_BYTES).")
  int maxRequestBytes;

  @Option(
      names = ServeFlags.MAX_CONNECTIONS,
      defaultValue = "${env:" + ServeFlags.ENV_MAX_CONNECTIONS + ":-1024}",
      description = "Open connections at most; more get 503 (env MAAS_MAX_CONNECTIONS).")
  int maxConnections;

  @Option(
      names = ServeFlags.IDLE_TIMEOUT_SECONDS,
      defaultValue = "${env:" + ServeFlags.ENV_IDLE_TIMEOUT_SECONDS + ":-60}",
      description =
          "Close a keep-alive connection idle this long with nothing in flight"
              + " (env MAAS_IDLE_TIMEOUT_SECONDS).")
  int idleTimeoutSeconds;

  @Option(
      names = ServeFlags.REQUEST_READ_TIMEOUT_SECONDS,
      defaultValue = "${env:" + ServeFlags.ENV_REQUEST_READ_TIMEOUT_SECONDS + ":-30}",
      description =
          "A request must arrive whole within this time of its first byte, else 408"
              + " (env MAAS_REQUEST_READ_TIMEOUT_SECONDS).")
  int requestReadTimeoutSeconds;

  @Option(
      names = ServeFlags.DRAIN_TIMEOUT_SECONDS,
      defaultValue =
          "${env:"
              + ServeFlags.ENV_DRAIN_TIMEOUT_SECONDS
              + ":-"
              + ServingDefaults.DRAIN_TIMEOUT_SECONDS
              + "}",
      description =
          "On SIGTERM, how long accepted requests may take before exit (env MAAS_DRAIN_TIMEOUT_SECONDS).")
  int drainTimeoutSeconds;

  @Option(
      names = ServeFlags.WARM_UP_SECONDS,
      defaultValue =
          "${env:" + ServeFlags.ENV_WARM_UP_SECONDS + ":-" + ServingDefaults.WARM_UP_SECONDS + "}",
      description =
          "Before reporting ready, send the server's own inference endpoint requests for this long"
              + " (needs --inputs with fixed item shapes), so that the first clients meet compiled"
              + " code; they are not counted in the metrics. 0: off (env MAAS_WARM_UP_SECONDS).")
  int warmUpSeconds;

  @Option(
      names = ServeFlags.CACHE_DIR,
      defaultValue = "${env:" + ServeFlags.ENV_CACHE_DIR + ":-${sys:java.io.tmpdir}/maas-cache}",
      description = "Where downloaded artifacts are kept (env MAAS_CACHE_DIR).")
  Path cacheDir;

  @Mixin SourceOptions sources = new SourceOptions();

  @Option(
      names = ServeFlags.SHADOW_CONFIG,
      defaultValue = "${env:" + ServeFlags.ENV_SHADOW_CONFIG + ":-}",
      description =
          "A shadow settings file to watch: whom to mirror a sample of answered requests to"
              + " (env MAAS_SHADOW_CONFIG). Read again whenever it changes; absent or empty: off.")
  String shadowConfig;

  @Option(
      names = ServeFlags.API_KEYS,
      defaultValue = "${env:" + ServeFlags.ENV_API_KEYS + ":-}",
      description =
          "A directory of API keys (a mounted Secret: each file one key, its name the key's name);"
              + " model endpoints then need 'Authorization: Bearer <key>'. Read again when it"
              + " changes (env MAAS_API_KEYS).")
  String apiKeys;

  @Option(
      names = ServeFlags.KUBERNETES_AUTH,
      paramLabel = "[NAMESPACE/]NAME",
      defaultValue = "${env:" + ServeFlags.ENV_KUBERNETES_AUTH + ":-}",
      description =
          "Model endpoints also take Kubernetes service-account tokens ('Authorization: Bearer"
              + " <token>'), allowed when RBAC lets their user get modeldeployments/infer of this"
              + " ModelDeployment; answers are kept 60 s (allowed) and 10 s (refused). The runtime's"
              + " own token needs create on tokenreviews and subjectaccessreviews"
              + " (env MAAS_KUBERNETES_AUTH).")
  String kubernetesAuth;

  @Option(
      names = ServeFlags.KUBERNETES_API,
      defaultValue = "${env:" + ServeFlags.ENV_KUBERNETES_API + ":-}",
      description =
          "The API server for --kubernetes-auth; default https://$KUBERNETES_SERVICE_HOST:"
              + "$KUBERNETES_SERVICE_PORT (env MAAS_KUBERNETES_API).")
  String kubernetesApi;

  @Option(
      names = ServeFlags.KUBERNETES_TOKEN_FILE,
      defaultValue =
          "${env:"
              + ServeFlags.ENV_KUBERNETES_TOKEN_FILE
              + ":-"
              + ServeFlags.SERVICE_ACCOUNT_DIR
              + "/token}",
      description =
          "The runtime's own token for --kubernetes-auth's reviews, read again for each"
              + " (env MAAS_KUBERNETES_TOKEN_FILE).")
  Path kubernetesTokenFile;

  @Option(
      names = ServeFlags.KUBERNETES_CA_FILE,
      defaultValue =
          "${env:"
              + ServeFlags.ENV_KUBERNETES_CA_FILE
              + ":-"
              + ServeFlags.SERVICE_ACCOUNT_DIR
              + "/ca.crt}",
      description = "The API server's CA for --kubernetes-auth (env MAAS_KUBERNETES_CA_FILE).")
  Path kubernetesCaFile;

  @Option(
      names = ServeFlags.TLS_CERT,
      defaultValue = "${env:" + ServeFlags.ENV_TLS_CERT + ":-}",
      description =
          "PEM certificate chain (a kubernetes.io/tls Secret's tls.crt); with --tls-key the port"
              + " speaks HTTPS only, and a renewed certificate is used without a restart"
              + " (env MAAS_TLS_CERT).")
  String tlsCert;

  @Option(
      names = ServeFlags.TLS_KEY,
      defaultValue = "${env:" + ServeFlags.ENV_TLS_KEY + ":-}",
      description =
          "PEM private key of --tls-cert: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted"
              + " (env MAAS_TLS_KEY).")
  String tlsKey;

  @Mixin ModelKeyOptions modelKey = new ModelKeyOptions();

  ServeConfig toConfig() {
    int cores = Runtime.getRuntime().availableProcessors();
    int workerCount = workers > 0 ? workers : Math.min(4, Math.max(2, cores / 4));
    int threads = threadsPerWorker > 0 ? threadsPerWorker : Math.max(1, cores / workerCount);
    int io = ioThreads > 0 ? ioThreads : Math.max(1, Math.min(4, cores));
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
    }
    if (grpcPort < 0 || grpcPort > 65535) {
      throw new IllegalArgumentException(
          "--grpc-port must be between 0 (off) and 65535, got " + grpcPort);
    }
    if (grpcPort != 0 && grpcPort == port) {
      throw new IllegalArgumentException(
          "--grpc-port and --port must differ, both are " + port + " (--grpc-port 0: no gRPC)");
    }
    if ((blankToNull(tlsCert) == null) != (blankToNull(tlsKey) == null)) {
      throw new IllegalArgumentException(
          "--tls-cert and --tls-key go together: give both (HTTPS) or neither (HTTP)");
    }
    if (warmUpSeconds < 0) {
      throw new IllegalArgumentException(
          "--warm-up-seconds must be at least 0 (0: off), got " + warmUpSeconds);
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
        grpcPort == 0 ? OptionalInt.empty() : OptionalInt.of(grpcPort),
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
        Duration.ofSeconds(warmUpSeconds),
        cacheDir,
        sources.settings(),
        sources.tuning(),
        Optional.ofNullable(blankToNull(shadowConfig)).map(Path::of),
        Optional.ofNullable(blankToNull(apiKeys)).map(Path::of),
        Optional.ofNullable(blankToNull(kubernetesAuth))
            .map(
                target ->
                    KubernetesAuth.of(
                        target, kubernetesApi, kubernetesTokenFile, kubernetesCaFile)),
        Optional.ofNullable(blankToNull(tlsCert))
            .map(cert -> new ServeConfig.TlsFiles(Path.of(cert), Path.of(tlsKey))),
        modelKey.keyFile(),
        modelKey.decryptedDir);
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
