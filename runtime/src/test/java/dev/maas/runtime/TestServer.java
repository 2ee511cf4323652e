package dev.maas.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.contract.DeviceChoice;
import dev.maas.runtime.batching.BatchingConfig;
import dev.maas.runtime.cli.EngineSettings;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.server.ModelServer;
import dev.maas.runtime.server.ServeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A real server on a free loopback port, with an HTTP client pointed at it. */
public final class TestServer implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();

  private final ModelServer server;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private TestServer(ModelServer server) {
    this.server = server;
  }

  public static ServeConfig config(Path model, String name, String inputs, int maxBatchSize) {
    return new ServeConfig(
        model.toString(),
        Optional.empty(),
        name,
        "1",
        Optional.ofNullable(inputs).map(InputSignature::parse),
        "127.0.0.1",
        0,
        // Off: a gRPC test turns it on (withGrpcPort).
        java.util.OptionalInt.empty(),
        1 << 20,
        dev.maas.runtime.http.ConnectionLimits.DEFAULTS,
        new BatchingConfig(maxBatchSize, 5, 256, 2, List.of()),
        DeviceChoice.cpu,
        1,
        2,
        Duration.ofSeconds(10),
        // Off: a test that is about the serving path's warm-up turns it on (withWarmUp).
        Duration.ZERO,
        Path.of(System.getProperty("java.io.tmpdir"), "maas-test-cache"),
        dev.maas.runtime.source.SourceSettings.none(),
        dev.maas.runtime.source.ArtifactFetcher.Tuning.DEFAULT,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Path.of("/dev/shm"));
  }

  public static TestServer start(ServeConfig config) throws InterruptedException {
    EngineSettings.apply(config.intraOpThreads());
    ModelServer server = ModelServer.listen(config);
    server.loadModel();
    return new TestServer(server);
  }

  /** Listening, but the model is not loaded: what clients see during a slow start. */
  public static TestServer listenOnly(ServeConfig config) throws InterruptedException {
    return new TestServer(ModelServer.listen(config));
  }

  public int port() {
    return server.port();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  public ModelServer server() {
    return server;
  }

  @Override
  public void close() {
    server.close();
  }
}
