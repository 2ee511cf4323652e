package dev.maas.runtime.server;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import dev.maas.runtime.access.Access;
import dev.maas.runtime.batching.InferenceEngine;
import dev.maas.runtime.batching.PassLanes;
import dev.maas.runtime.compress.ModelPackage;
import dev.maas.runtime.compress.PackageLoader;
import dev.maas.runtime.crypto.DecryptedArtifact;
import dev.maas.runtime.grpc.GrpcServer;
import dev.maas.runtime.http.HttpServer;
import dev.maas.runtime.http.ServingState;
import dev.maas.runtime.metrics.ServerMetrics;
import dev.maas.runtime.model.Devices;
import dev.maas.runtime.model.ForwardSignature;
import dev.maas.runtime.model.InputBinding;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.model.ModelLoader;
import dev.maas.runtime.model.ServableModel;
import dev.maas.runtime.shadow.ShadowMirror;
import dev.maas.runtime.shadow.ShadowSettingsWatcher;
import dev.maas.runtime.source.ArtifactFetcher;
import dev.maas.runtime.tls.PinnedTrust;
import dev.maas.runtime.tls.ServerTls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serve command's lifecycle: listen first (liveness answers while a large artifact downloads),
 * fetch and verify, load, warm up the model and then the serving path, report ready; on drain, turn
 * readiness off, finish everything accepted, then stop.
 */
public final class ModelServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);

  private final ServeConfig config;
  private final ServingState state;
  private final ServerMetrics metrics;
  private final HttpServer http;
  private final Optional<GrpcServer> grpc;
  private final Access access;
  private final Optional<ServerTls> tls;
  private final AtomicReference<InferenceEngine> engine = new AtomicReference<>();
  private ShadowMirror mirror;
  private ShadowSettingsWatcher shadowSettings;
  private ServableModel model;
  private Optional<ServingPathWarmUp.Result> servingPathWarmUp = Optional.empty();

  private ModelServer(
      ServeConfig config,
      ServingState state,
      ServerMetrics metrics,
      HttpServer http,
      Optional<GrpcServer> grpc,
      Access access,
      Optional<ServerTls> tls) {
    this.config = config;
    this.state = state;
    this.metrics = metrics;
    this.http = http;
    this.grpc = grpc;
    this.access = access;
    this.tls = tls;
  }

  /** Binds the port; the model is not loaded yet. */
  public static ModelServer listen(ServeConfig config) throws InterruptedException {
    ServingState state =
        new ServingState(config.servedName(), config.modelVersion(), config.inputs());
    ServerMetrics metrics =
        new ServerMetrics(() -> state.engine().map(InferenceEngine::queueDepth).orElse(0));
    Access access = Access.of(config.apiKeys(), config.kubernetesAuth(), state::warmingUp);
    Optional<ServerTls> tls;
    try {
      tls = config.tls().map(files -> ServerTls.load(files.cert(), files.key()));
    } catch (IllegalArgumentException e) {
      access.close();
      throw e;
    }
    HttpServer http =
        new HttpServer(
            config.host(),
            config.port(),
            config.ioThreads(),
            config.maxBodyBytes(),
            config.connections(),
            state,
            metrics,
            access,
            tls);
    Optional<GrpcServer> grpc;
    try {
      grpc =
          config.grpcPort().isPresent()
              ? Optional.of(
                  new GrpcServer(
                      config.host(),
                      config.grpcPort().getAsInt(),
                      config.ioThreads(),
                      config.maxBodyBytes(),
                      config.connections(),
                      state,
                      metrics,
                      access,
                      tls))
              : Optional.empty();
    } catch (RuntimeException e) {
      http.close();
      access.close();
      tls.ifPresent(ServerTls::close);
      throw e;
    }
    ModelServer server = new ModelServer(config, state, metrics, http, grpc, access, tls);
    config.shadowConfig().ifPresent(file -> server.mirrorAsConfigured(file));
    return server;
  }

  /** Mirrors answered requests to a candidate whenever the settings file asks for it. */
  private void mirrorAsConfigured(java.nio.file.Path file) {
    ShadowMirror created =
        new ShadowMirror(
            config.servedName(),
            metrics,
            () -> tls.map(t -> PinnedTrust.socketFactory(t.leaf())).orElse(null));
    mirror = created;
    state.listenToAnswers(created);
    shadowSettings = new ShadowSettingsWatcher(file, created::configure).start();
  }

  /** What the serving path's warm-up did; empty when it was off or could not run. */
  public Optional<ServingPathWarmUp.Result> servingPathWarmUp() {
    return servingPathWarmUp;
  }

  public int port() {
    return http.port();
  }

  /** The gRPC port; empty when gRPC is off. */
  public OptionalInt grpcPort() {
    return grpc.map(g -> OptionalInt.of(g.port())).orElse(OptionalInt.empty());
  }

  /** Fetches, verifies, loads and warms up the model; then readiness turns true. */
  public void loadModel() throws InterruptedException {
    long start = System.nanoTime();
    ArtifactFetcher.Artifact artifact =
        new ArtifactFetcher(config.cacheDir(), config.sources(), config.fetching())
            .fetch(config.model(), config.sha256());
    Engine pytorch = Engine.getEngine("PyTorch");
    Device device = Devices.resolve(config.device(), pytorch);
    LOG.info(
        "loading {} (sha256 {}, {} bytes) on {} with PyTorch {}",
        config.model(),
        artifact.sha256(),
        artifact.bytes(),
        device,
        pytorch.getVersion());
    LoadedArtifact loaded;
    InputBinding binding;
    try (DecryptedArtifact decrypted =
        config
            .modelKey()
            .map(key -> DecryptedArtifact.decrypt(key, artifact.path(), config.decryptedDir()))
            .orElse(null)) {
      if (decrypted != null) {
        LOG.info("{} decrypted with {} into memory", config.model(), config.modelKey().get());
      }
      loaded =
          decrypted == null
              ? loadArtifact(artifact.path(), device, config.cacheDir().resolve("packages"))
              : loadArtifact(decrypted.file(), device, decrypted.workDir());
      try {
        binding = bindInputs(loaded.torchScript());
      } catch (RuntimeException e) {
        loaded.model().close();
        throw e;
      }
    }
    model =
        new ServableModel(
            config.servedName(),
            config.modelVersion(),
            loaded.model(),
            config.inputs(),
            binding,
            device,
            artifact.sha256());
    InferenceEngine started =
        new InferenceEngine(
            model,
            config.batching(),
            metrics,
            PassLanes.of(
                device,
                config.batching().workers(),
                config.intraOpThreads(),
                Runtime.getRuntime().availableProcessors()));
    started.start();
    engine.set(started);
    state.engineReady(started);
    warmServingPath();
    state.servingPathWarm();
    double seconds = (System.nanoTime() - start) / 1e9;
    metrics.modelLoaded(seconds);
    LOG.info(
        "model {} ready on port {}{} in {} s (batch up to {}, {} worker(s))",
        config.servedName(),
        port(),
        grpc.map(g -> " (gRPC " + g.port() + ")").orElse(""),
        String.format("%.2f", seconds),
        config.batching().maxBatchSize(),
        config.batching().workers());
  }

  private void warmServingPath() throws InterruptedException {
    Optional<InputSignature> signature = config.inputs().filter(InputSignature::canWarmUp);
    if (config.warmUp().isZero() || signature.isEmpty()) {
      LOG.debug("serving path not warmed up: off, or no --inputs with fixed item shapes");
      return;
    }
    String host = config.host();
    boolean wildcard = host.isBlank() || host.equals("0.0.0.0") || host.equals("::");
    URI self =
        URI.create(
            (tls.isPresent() ? "https://" : "http://")
                + (wildcard ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host)
                + ":"
                + port());
    ServingPathWarmUp.Result result =
        new ServingPathWarmUp(
                self,
                config.servedName(),
                signature.get(),
                config.warmUp(),
                access.required() ? access.warmUpAuthorization() : null,
                tls.map(t -> PinnedTrust.socketFactory(t.leaf())).orElse(null))
            .run(state::draining);
    servingPathWarmUp = Optional.of(result);
    result
        .sampledFailure()
        .ifPresent(
            cause ->
                LOG.info(
                    "the serving path's warm-up sends zeros: the model refused sampled values"
                        + " ({})",
                    cause));
    if (result.failure().isPresent()) {
      LOG.warn(
          "serving-path warm-up stopped after {} request(s): {}; ready without the rest of it",
          result.requests(),
          result.failure().get());
    } else {
      LOG.info(
          "serving path warmed up with {} request(s) in {} s",
          result.requests(),
          String.format("%.1f", result.took().toNanos() / 1e9));
    }
  }

  private record LoadedArtifact(ZooModel<NDList, NDList> model, Path torchScript) {}

  /** {@code workDir}: where a package's module is extracted. */
  private LoadedArtifact loadArtifact(Path file, Device device, Path workDir) {
    ModelLoader loader = new ModelLoader();
    if (ModelPackage.isPackage(file)) {
      LOG.info("{} is a compressed package: restoring its weights", file);
      PackageLoader.Loaded loaded = new PackageLoader(loader, workDir).load(file, device);
      return new LoadedArtifact(loaded.model(), loaded.module());
    }
    return new LoadedArtifact(loader.loadTorchScript(file, device), file);
  }

  /**
   * Inputs bind by name: the declared ones (checked against forward's parameters), else forward's
   * own names; only a module whose code cannot be read falls back to binding by position.
   */
  private InputBinding bindInputs(Path torchScript) {
    Optional<ForwardSignature> forward = ForwardSignature.read(torchScript);
    if (forward.isPresent() && config.inputs().isEmpty()) {
      LOG.info(
          "no --inputs: requests bind inputs by the names of the model's forward {}; their"
              + " datatypes and shapes are not checked",
          forward.get().describe());
    } else if (forward.isEmpty() && config.inputs().isEmpty()) {
      LOG.warn(
          "no --inputs and the model's forward signature cannot be read: inputs bind by their"
              + " position in the request; declare --inputs to bind them by name");
    }
    return InputBinding.resolve(config.servedName(), config.inputs(), forward);
  }

  /**
   * Readiness off at once; every accepted request still gets its answer; then the listener and
   * connections close. Returns within {@code timeout} even if requests are still running.
   */
  public void drain(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    state.startDraining();
    LOG.info("draining: readiness is false, finishing {} accepted request(s)", metrics.inflight());
    // No new connections; open ones get "Connection: close" on their next answer, so every
    // request that reaches the server is still served rather than refused with a 503.
    http.stopListening();
    grpc.ifPresent(GrpcServer::stopAccepting);
    while (metrics.inflight() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (metrics.inflight() > 0) {
      LOG.warn("drain timeout reached with {} request(s) still in flight", metrics.inflight());
    } else {
      LOG.info("drained: every accepted request was answered");
    }
    close();
  }

  @Override
  public void close() {
    state.startDraining();
    if (shadowSettings != null) {
      shadowSettings.close();
      mirror.close();
    }
    http.close();
    grpc.ifPresent(GrpcServer::close);
    access.close();
    tls.ifPresent(ServerTls::close);
    InferenceEngine current = engine.getAndSet(null);
    if (current != null) {
      current.close();
    }
    if (model != null) {
      model.close();
      model = null;
    }
  }
}
