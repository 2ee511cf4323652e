package dev.maas.runtime.server;

import dev.maas.contract.DeviceChoice;
import dev.maas.runtime.access.KubernetesAuth;
import dev.maas.runtime.batching.BatchingConfig;
import dev.maas.runtime.http.ConnectionLimits;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.source.ArtifactFetcher;
import dev.maas.runtime.source.SourceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything {@code serve} needs, resolved from flags and environment variables.
 *
 * @param model a local path, file: URI, or http(s) URI of a TorchScript file or package
 * @param drainTimeout how long a SIGTERM waits for accepted requests before exiting anyway
 * @param intraOpThreads libtorch threads per forward pass; workers x threads should not exceed the
 *     cores
 * @param warmUp how long the server sends its own requests before it reports ready (zero: off)
 * @param shadowConfig the shadow settings file to watch, when mirroring may be asked for
 * @param apiKeys a directory of API keys (a mounted Secret) that model endpoints then require
 * @param kubernetesAuth the ModelDeployment whose infer permission Kubernetes tokens need
 * @param grpcPort the OIP gRPC port (0 picks a free one); empty: no gRPC
 * @param tls the PEM certificate chain and key to serve HTTPS (and gRPC over TLS) with
 * @param modelKey the key of an encrypted artifact
 * @param decryptedDir the memory-backed directory an encrypted artifact is decrypted into
 */
public record ServeConfig(
    String model,
    Optional<String> sha256,
    String servedName,
    String modelVersion,
    Optional<InputSignature> inputs,
    String host,
    int port,
    OptionalInt grpcPort,
    int maxBodyBytes,
    ConnectionLimits connections,
    BatchingConfig batching,
    DeviceChoice device,
    int intraOpThreads,
    int ioThreads,
    Duration drainTimeout,
    Duration warmUp,
    Path cacheDir,
    SourceSettings sources,
    ArtifactFetcher.Tuning fetching,
    Optional<Path> shadowConfig,
    Optional<Path> apiKeys,
    Optional<KubernetesAuth> kubernetesAuth,
    Optional<TlsFiles> tls,
    Optional<Path> modelKey,
    Path decryptedDir) {

  /** A certificate chain and its private key, PEM. */
  public record TlsFiles(Path cert, Path key) {}

  public ServeConfig withOutputNames(java.util.List<String> names) {
    return withBatching(
        new BatchingConfig(
            batching.maxBatchSize(),
            batching.maxDelayMillis(),
            batching.queueCapacity(),
            batching.workers(),
            names));
  }

  public ServeConfig withShadowConfig(Path file) {
    Changed c = new Changed(this);
    c.shadowConfig = Optional.of(file);
    return c.build();
  }

  public ServeConfig withWarmUp(Duration duration) {
    Changed c = new Changed(this);
    c.warmUp = duration;
    return c.build();
  }

  public ServeConfig withApiKeys(Path dir) {
    Changed c = new Changed(this);
    c.apiKeys = Optional.of(dir);
    return c.build();
  }

  public ServeConfig withKubernetesAuth(KubernetesAuth auth) {
    Changed c = new Changed(this);
    c.kubernetesAuth = Optional.of(auth);
    return c.build();
  }

  public ServeConfig withTls(Path cert, Path key) {
    Changed c = new Changed(this);
    c.tls = Optional.of(new TlsFiles(cert, key));
    return c.build();
  }

  public ServeConfig withModelKey(Path key, Path memoryDir) {
    Changed c = new Changed(this);
    c.modelKey = Optional.of(key);
    c.decryptedDir = memoryDir;
    return c.build();
  }

  /** {@code port}: 0 picks a free one. */
  public ServeConfig withGrpcPort(int port) {
    Changed c = new Changed(this);
    c.grpcPort = OptionalInt.of(port);
    return c.build();
  }

  public ServeConfig withConnections(ConnectionLimits limits) {
    Changed c = new Changed(this);
    c.connections = limits;
    return c.build();
  }

  public ServeConfig withBatching(BatchingConfig newBatching) {
    Changed c = new Changed(this);
    c.batching = newBatching;
    return c.build();
  }

  /** A copy to change a field or two of: what the with-methods share. */
  private static final class Changed {
    private final ServeConfig from;
    private OptionalInt grpcPort;
    private ConnectionLimits connections;
    private BatchingConfig batching;
    private Duration warmUp;
    private Optional<Path> shadowConfig;
    private Optional<Path> apiKeys;
    private Optional<KubernetesAuth> kubernetesAuth;
    private Optional<TlsFiles> tls;
    private Optional<Path> modelKey;
    private Path decryptedDir;

    Changed(ServeConfig from) {
      this.from = from;
      this.grpcPort = from.grpcPort;
      this.connections = from.connections;
      this.batching = from.batching;
      this.warmUp = from.warmUp;
      this.shadowConfig = from.shadowConfig;
      this.apiKeys = from.apiKeys;
      this.kubernetesAuth = from.kubernetesAuth;
      this.tls = from.tls;
      this.modelKey = from.modelKey;
      this.decryptedDir = from.decryptedDir;
    }

    ServeConfig build() {
      return new ServeConfig(
          from.model,
          from.sha256,
          from.servedName,
          from.modelVersion,
          from.inputs,
          from.host,
          from.port,
          grpcPort,
          from.maxBodyBytes,
          connections,
          batching,
          from.device,
          from.intraOpThreads,
          from.ioThreads,
          from.drainTimeout,
          warmUp,
          from.cacheDir,
          from.sources,
          from.fetching,
          shadowConfig,
          apiKeys,
          kubernetesAuth,
          tls,
          modelKey,
          decryptedDir);
    }
  }
}
