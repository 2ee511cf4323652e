package dev.maas.operator.testing;

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
 * bucket, each file an object), on the address given, with one access key, optionally over TLS. Its
 * access log tells how many GETs an object had. Shared by the runtime's source tests and the
 * end-to-end suite.
 */
public final class S3Gateway implements AutoCloseable {
  public static final String ACCESS_KEY = "AKIAMAASTEST";
  public static final String SECRET_KEY = "maas-test-secret-key-0123456789";

  private final Process process;
  private final Path root;
  private final Path accessLog;
  private final int port;
  private final boolean tls;

  private final String host;

  private S3Gateway(
      Process process, Path root, Path accessLog, String host, int port, boolean tls) {
    this.process = process;
    this.host = host;
    this.root = root;
    this.accessLog = accessLog;
    this.port = port;
    this.tls = tls;
  }

  /**
   * @param repo the repository's root, whose e2e/toolchain builds the gateway
   * @param host the address to listen on (loopback, or the pods' bridge)
   * @param certAndKey PEM certificate and key to serve HTTPS with; absent: HTTP
   */
  public static S3Gateway start(Path repo, Path dir, String host, Optional<Path[]> certAndKey)
      throws Exception {
    Path root = Files.createDirectories(dir.resolve("data"));
    Path accessLog = dir.resolve("access.log");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                binary(repo).toString(),
                "--access",
                ACCESS_KEY,
                "--secret",
                SECRET_KEY,
                "--port",
                host + ":" + port,
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
    S3Gateway server = new S3Gateway(process, root, accessLog, host, port, certAndKey.isPresent());
    server.awaitListening(dir.resolve("versitygw.log"));
    return server;
  }

  /** Builds versitygw once per machine (cached under $HOME by its inputs). */
  private static Path binary(Path repo) throws IOException, InterruptedException {
    Path script = repo.resolve("e2e/toolchain/build-versitygw.sh").toAbsolutePath();
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
      try (Socket ignored = new Socket(host, port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("versitygw did not listen: " + Files.readString(log));
  }

  public String endpoint() {
    return (tls ? "https" : "http") + "://" + host + ":" + port;
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }

  /** Puts an object in place, as the gateway's posix backend stores it. */
  public void put(String bucket, String key, byte[] content) throws IOException {
    Path file = root.resolve(bucket).resolve(key);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
  }

  public void createBucket(String bucket) throws IOException {
    Files.createDirectories(root.resolve(bucket));
  }

  /** GETs of this key the server answered, as its access log records them. */
  public long gets(String key) throws IOException {
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
