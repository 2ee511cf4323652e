package dev.maas.runtime.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server for the tests: Versity's S3 gateway (versitygw, Apache 2.0), built
 * from source by e2e/toolchain/build-versitygw.sh and serving a directory (each top-level folder a
 * bucket, each file an object), on loopback, with one access key, optionally over TLS. Its access
 * log tells how many GETs an object had.
 */
final class S3Server implements AutoCloseable {
  static final String ACCESS_KEY = "AKIAMAASTEST";
  static final String SECRET_KEY = "maas-test-secret-key-0123456789";

  private final Process process;
  private final Path root;
  private final Path accessLog;
  private final int port;
  private final boolean tls;

  private S3Server(Process process, Path root, Path accessLog, int port, boolean tls) {
    this.process = process;
    this.root = root;
    this.accessLog = accessLog;
    this.port = port;
    this.tls = tls;
  }

  /**
   * @param certAndKey PEM certificate and key to serve HTTPS with; absent: HTTP
   */
  static S3Server start(Path dir, Optional<Path[]> certAndKey) throws Exception {
    Path root = Files.createDirectories(dir.resolve("data"));
    Path accessLog = dir.resolve("access.log");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                binary().toString(),
                "--access",
                ACCESS_KEY,
                "--secret",
                SECRET_KEY,
                "--port",
                "127.0.0.1:" + port,
                "--quiet",
                "--access-log",
                accessLog.toString()));
    certAndKey.ifPresent(
        files ->
            command.addAll(List.of("--cert", files[0].toString(), "--key", files[1].toString())));
    command.addAll(List.of("posix", root.toString()));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("versitygw.log").toFile())
            .start();
    S3Server server = new S3Server(process, root, accessLog, port, certAndKey.isPresent());
    server.awaitListening(dir.resolve("versitygw.log"));
    return server;
  }

  /** Builds versitygw once per machine (cached under $HOME by its inputs). */
  private static Path binary() throws IOException, InterruptedException {
    Path script = Path.of("..", "e2e", "toolchain", "build-versitygw.sh").toAbsolutePath();
    Process build =
        new ProcessBuilder("bash", script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String path = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(build.waitFor(20, TimeUnit.MINUTES)).as("build-versitygw.sh finishes").isTrue();
    assertThat(build.exitValue()).as("build-versitygw.sh").isZero();
    return Path.of(path);
  }

  private void awaitListening(Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("versitygw exited: " + Files.readString(log));
      }
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("versitygw did not listen: " + Files.readString(log));
  }

  String endpoint() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port;
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /** Puts an object in place, as the gateway's posix backend stores it. */
  void put(String bucket, String key, byte[] content) throws IOException {
    Path file = root.resolve(bucket).resolve(key);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
  }

  void createBucket(String bucket) throws IOException {
    Files.createDirectories(root.resolve(bucket));
  }

  /** GETs of this key the server answered, as its access log records them. */
  long gets(String key) throws IOException {
    if (!Files.exists(accessLog)) {
      return 0;
    }
    return Files.readAllLines(accessLog).stream()
        .filter(l -> l.contains(" s3_GetObject " + key + " "))
        .count();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
