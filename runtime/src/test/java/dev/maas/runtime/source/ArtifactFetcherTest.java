package dev.maas.runtime.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.maas.runtime.RuntimeMain;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.model.ArtifactException;
import dev.maas.runtime.model.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Artifacts are fetched over real HTTP and used only when their sha256 matches. */
class ArtifactFetcherTest {
  @TempDir Path cache;
  private HttpServer origin;
  private String digitsSha256;

  @BeforeEach
  void serveTheModelOverHttp() throws Exception {
    byte[] model = Files.readAllBytes(TestModels.digitsMlp());
    digitsSha256 = Sha256.of(model);
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    origin.createContext(
        "/models/digits.pt",
        exchange -> {
          exchange.sendResponseHeaders(200, model.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(model);
          }
        });
    origin.createContext(
        "/missing.pt",
        exchange -> {
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    origin.start();
  }

  @AfterEach
  void stopOrigin() {
    origin.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + origin.getAddress().getPort() + path;
  }

  @Test
  void downloadsVerifiesAndCachesByDigest() throws Exception {
    ArtifactFetcher fetcher = new ArtifactFetcher(cache);
    ArtifactFetcher.Artifact artifact =
        fetcher.fetch(url("/models/digits.pt"), Optional.of(digitsSha256.toUpperCase()));
    assertThat(artifact.sha256()).isEqualTo(digitsSha256);
    assertThat(artifact.path()).isEqualTo(cache.resolve(digitsSha256 + ".pt"));
    assertThat(Sha256.of(artifact.path())).isEqualTo(digitsSha256);
    origin.stop(0);
    assertThat(fetcher.fetch(url("/models/digits.pt"), Optional.of(digitsSha256)).path())
        .as("a verified cached copy is reused without the network")
        .isEqualTo(artifact.path());
  }

  @Test
  void aDigestMismatchIsRefusedAndLeavesNothingBehind() throws Exception {
    String wrong = "0".repeat(64);
    assertThatThrownBy(
            () -> new ArtifactFetcher(cache).fetch(url("/models/digits.pt"), Optional.of(wrong)))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("sha256 mismatch")
        .hasMessageContaining("expected " + wrong)
        .hasMessageContaining("has " + digitsSha256);
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files).isEmpty();
    }
    assertThatThrownBy(
            () ->
                new ArtifactFetcher(cache)
                    .fetch(TestModels.digitsMlp().toString(), Optional.of(wrong)))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("sha256 mismatch");
  }

  @Test
  void unreachableOrMalformedLocationsAreClearErrors() {
    ArtifactFetcher fetcher = new ArtifactFetcher(cache);
    assertThatThrownBy(() -> fetcher.fetch(url("/missing.pt"), Optional.empty()))
        .hasMessageContaining("HTTP 404");
    assertThatThrownBy(() -> fetcher.fetch("/nonexistent/model.pt", Optional.empty()))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> fetcher.fetch(TestModels.digitsMlp().toString(), Optional.of("abc")))
        .hasMessageContaining("64 hexadecimal characters");
  }

  @Test
  void aRefusedConnectionSaysSoNotNull() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String location = "http://127.0.0.1:" + closed + "/model.pt";
    var quick =
        new ArtifactFetcher.Tuning(
            new RetryPolicy(2, java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(10)),
            java.time.Duration.ofSeconds(5),
            line -> {});
    assertThatThrownBy(
            () ->
                new ArtifactFetcher(cache, SourceSettings.none(), quick)
                    .fetch(location, Optional.empty()))
        .hasMessage(location + ": connection refused (gave up after 2 tries without progress)");
  }

  @Test
  void serveExitsNonZeroWithTheReasonWhenTheDigestDoesNotMatch() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int exit;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit =
          new CommandLine(new RuntimeMain())
              .execute(
                  "serve",
                  "--grpc-port",
                  "0",
                  "--model",
                  url("/models/digits.pt"),
                  "--sha256",
                  "1".repeat(64),
                  "--port",
                  "0",
                  "--cache-dir",
                  cache.toString());
    } finally {
      System.setErr(original);
    }
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("sha256 mismatch");
  }

  @Test
  void aDirectoryWithOneModelFileIsThatFileAsAnImageVolumeMountsIt() throws Exception {
    Path image = Files.createDirectories(cache.resolve("image/models"));
    Files.copy(TestModels.digitsMlp(), image.resolve("digits_mlp.pt"));
    var artifact =
        new ArtifactFetcher(cache).fetch(image.getParent().toString(), Optional.of(digitsSha256));
    assertThat(artifact.path()).isEqualTo(image.resolve("digits_mlp.pt"));
    Files.copy(TestModels.digitsMlp(), image.getParent().resolve("other.pt"));
    assertThatThrownBy(
            () -> new ArtifactFetcher(cache).fetch(image.getParent().toString(), Optional.empty()))
        .hasMessageContaining("is a directory with 2 model files");
  }
}
