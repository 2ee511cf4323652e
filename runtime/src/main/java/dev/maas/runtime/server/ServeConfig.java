package dev.maas.runtime.server;

import dev.maas.contract.DeviceChoice;
import dev.maas.runtime.batching.BatchingConfig;
import dev.maas.runtime.http.ConnectionLimits;
import dev.maas.runtime.model.InputSignature;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

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
 * @param tls the PEM certificate chain and key to serve HTTPS with
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
    int maxBodyBytes,
    ConnectionLimits connections,
    BatchingConfig batching,
    DeviceChoice device,
    int intraOpThreads,
    int ioThreads,
    Duration drainTimeout,
    Duration warmUp,
    Path cacheDir,
    Optional<Path> shadowConfig,
    Optional<Path> apiKeys,
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
    return new ServeConfig(
        model,
        sha256,
        servedName,
        modelVersion,
        inputs,
        host,
        port,
        maxBodyBytes,
        connections,
        batching,
        device,
        intraOpThreads,
        ioThreads,
        drainTimeout,
        warmUp,
        cacheDir,
        Optional.of(file),
        apiKeys,
        tls,
        modelKey,
        decryptedDir);
  }

  public ServeConfig withWarmUp(Duration duration) {
    return new ServeConfig(
        model,
        sha256,
        servedName,
        modelVersion,
        inputs,
        host,
        port,
        maxBodyBytes,
        connections,
        batching,
        device,
        intraOpThreads,
        ioThreads,
        drainTimeout,
        duration,
        cacheDir,
        shadowConfig,
        apiKeys,
        tls,
        modelKey,
        decryptedDir);
  }

  public ServeConfig withApiKeys(Path dir) {
    return new ServeConfig(
        model,
        sha256,
        servedName,
        modelVersion,
        inputs,
        host,
        port,
        maxBodyBytes,
        connections,
        batching,
        device,
        intraOpThreads,
        ioThreads,
        drainTimeout,
        warmUp,
        cacheDir,
        shadowConfig,
        Optional.of(dir),
        tls,
        modelKey,
        decryptedDir);
  }

  public ServeConfig withTls(Path cert, Path key) {
    return new ServeConfig(
        model,
        sha256,
        servedName,
        modelVersion,
        inputs,
        host,
        port,
        maxBodyBytes,
        connections,
        batching,
        device,
        intraOpThreads,
        ioThreads,
        drainTimeout,
        warmUp,
        cacheDir,
        shadowConfig,
        apiKeys,
        Optional.of(new TlsFiles(cert, key)),
        modelKey,
        decryptedDir);
  }

  public ServeConfig withModelKey(Path key, Path memoryDir) {
    return new ServeConfig(
        model,
        sha256,
        servedName,
        modelVersion,
        inputs,
        host,
        port,
        maxBodyBytes,
        connections,
        batching,
        device,
        intraOpThreads,
        ioThreads,
        drainTimeout,
        warmUp,
        cacheDir,
        shadowConfig,
        apiKeys,
        tls,
        Optional.of(key),
        memoryDir);
  }

  public ServeConfig withConnections(ConnectionLimits limits) {
    return new ServeConfig(
        model,
        sha256,
        servedName,
        modelVersion,
        inputs,
        host,
        port,
        maxBodyBytes,
        limits,
        batching,
        device,
        intraOpThreads,
        ioThreads,
        drainTimeout,
        warmUp,
        cacheDir,
        shadowConfig,
        apiKeys,
        tls,
        modelKey,
        decryptedDir);
  }

  public ServeConfig withBatching(BatchingConfig newBatching) {
    return new ServeConfig(
        model,
        sha256,
        servedName,
        modelVersion,
        inputs,
        host,
        port,
        maxBodyBytes,
        connections,
        newBatching,
        device,
        intraOpThreads,
        ioThreads,
        drainTimeout,
        warmUp,
        cacheDir,
        shadowConfig,
        apiKeys,
        tls,
        modelKey,
        decryptedDir);
  }
}
