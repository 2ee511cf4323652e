package dev.maas.runtime.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.contract.ExitCodes;
import dev.maas.contract.SourceFlags;
import dev.maas.operator.testing.S3Gateway;
import dev.maas.runtime.RuntimeProcess;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.model.Sha256;
import dev.maas.runtime.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * s3:// against a real S3-compatible server (versitygw) over TLS signed by a test CA, with the
 * credentials in files as a mounted Secret gives them: what a model in MinIO, Ceph or a cloud
 * bucket meets. The failures a user meets are checked through the runtime's own process (its exit
 * code and its one line); the network's faults through a relay that breaks and slows the link.
 */
@Tag("toolchain")
class S3SourceTest {
  private static final String BUCKET = "models";
  private static final String MODEL_KEY = "digits/v3/digits_mlp.pt";
  private static final String BIG_KEY = "big/weights.bin";

  @TempDir static Path dir;
  private static S3Gateway server;
  private static TestCertificates ca;
  private static Path credentials;
  private static String modelSha256;
  private static byte[] big;

  @BeforeAll
  static void startTheServer() throws Exception {
    ca = TestCertificates.authority(dir.resolve("ca"));
    TestCertificates.Issued cert = ca.issue("127.0.0.1", TestCertificates.KeyKind.RSA_PKCS8);
    server =
        S3Gateway.start(
            Path.of("..").toAbsolutePath().normalize(),
            Files.createDirectories(dir.resolve("s3")),
            "127.0.0.1",
            Optional.of(new Path[] {cert.cert(), cert.key()}));
    byte[] model = Files.readAllBytes(TestModels.digitsMlp());
    modelSha256 = Sha256.of(model);
    server.put(BUCKET, MODEL_KEY, model);
    big = new byte[8 << 20];
    new Random(20).nextBytes(big);
    server.put(BUCKET, BIG_KEY, big);
    credentials = secret("credentials", S3Gateway.ACCESS_KEY, S3Gateway.SECRET_KEY);
  }

  @AfterAll
  static void stopTheServer() throws Exception {
    server.close();
  }

  /** A credentials Secret as kubelet mounts it: one file per key. */
  private static Path secret(String name, String accessKey, String secretKey) throws Exception {
    Path secret = Files.createDirectories(dir.resolve(name));
    Files.writeString(secret.resolve(SourceFlags.AWS_ACCESS_KEY_ID), accessKey);
    Files.writeString(secret.resolve(SourceFlags.AWS_SECRET_ACCESS_KEY), secretKey);
    return secret;
  }

  private static Map<String, String> environment(String endpoint) {
    return Map.of(
        SourceFlags.ENV_AWS_ENDPOINT_URL_S3,
        endpoint,
        SourceFlags.ENV_AWS_CA_BUNDLE,
        ca.caCert().toString());
  }

  private static ArtifactFetcher fetcher(
      Path cache, String endpoint, List<String> progress, Duration interval) {
    return new ArtifactFetcher(
        cache,
        new SourceSettings(Optional.of(credentials), false, environment(endpoint)),
        new ArtifactFetcher.Tuning(
            new RetryPolicy(4, Duration.ofMillis(50), Duration.ofMillis(200)),
            interval,
            progress::add));
  }

  @Test
  void anObjectIsFetchedOverTlsWithMountedCredentialsAndVerified() throws Exception {
    var artifact =
        fetcher(dir.resolve("cache-1"), server.endpoint(), List.of(), Duration.ofSeconds(5))
            .fetch("s3://" + BUCKET + "/" + MODEL_KEY, Optional.of(modelSha256));
    assertThat(artifact.sha256()).isEqualTo(modelSha256);
    assertThat(Sha256.of(artifact.path())).isEqualTo(modelSha256);
    assertThat(artifact.path().getFileName().toString()).isEqualTo(modelSha256 + ".pt");
  }

  @Test
  void aContainerThatRestartsWithItsCacheDoesNotDownloadAgain() throws Exception {
    Path cache = dir.resolve("cache-restart");
    String location = "s3://" + BUCKET + "/" + MODEL_KEY;
    long before = server.gets(MODEL_KEY);
    fetcher(cache, server.endpoint(), List.of(), Duration.ofSeconds(5))
        .fetch(location, Optional.of(modelSha256));
    awaitGets(MODEL_KEY, before + 1);
    var again =
        fetcher(cache, server.endpoint(), List.of(), Duration.ofSeconds(5))
            .fetch(location, Optional.of(modelSha256));
    assertThat(again.sha256()).isEqualTo(modelSha256);
    Thread.sleep(500);
    assertThat(server.gets(MODEL_KEY)).as("GETs counted by the server").isEqualTo(before + 1);
  }

  @Test
  void aConnectionBrokenHalfwayIsResumedAndTheDigestStillMatches() throws Exception {
    try (UnreliableLink link = new UnreliableLink(server.address())) {
      link.breakOnceAfter(3 << 20);
      var artifact =
          fetcher(
                  dir.resolve("cache-broken"),
                  "https://127.0.0.1:" + link.port(),
                  List.of(),
                  Duration.ofSeconds(5))
              .fetch("s3://" + BUCKET + "/" + BIG_KEY, Optional.of(Sha256.of(big)));
      assertThat(Files.readAllBytes(artifact.path())).isEqualTo(big);
      assertThat(link.bytesFromServer())
          .as("resumed, not downloaded again from the start")
          .isLessThan(big.length + (1 << 20));
    }
  }

  @Test
  void aSlowDownloadReportsBytesRateAndTimeLeft() throws Exception {
    List<String> progress = new CopyOnWriteArrayList<>();
    try (UnreliableLink link = new UnreliableLink(server.address())) {
      link.limitTo(3 << 20);
      fetcher(
              dir.resolve("cache-slow"),
              "https://127.0.0.1:" + link.port(),
              progress,
              Duration.ofMillis(700))
          .fetch("s3://" + BUCKET + "/" + BIG_KEY, Optional.of(Sha256.of(big)));
    }
    assertThat(progress).hasSizeGreaterThanOrEqualTo(2);
    assertThat(progress.get(0))
        .matches(
            "fetching s3://models/big/weights.bin: [0-9.]+ MiB of 8.0 MiB \\(\\d+%\\),"
                + " [0-9.]+ MiB/s, \\d+ s left");
  }

  @Test
  void whatAUserGetsWrongEndsServeWithOneLineNamingItAndExit2() throws Exception {
    String location = "s3://" + BUCKET + "/" + MODEL_KEY;
    Run mismatch = serve(location, credentials, "--sha256", "ab".repeat(32));
    assertThat(mismatch.exit()).as(mismatch.stderr()).isEqualTo(ExitCodes.Serve.BAD_ARTIFACT);
    assertThat(mismatch.line())
        .contains("sha256 mismatch for " + location, "ab".repeat(32), modelSha256);

    Path wrongKeys = secret("wrong-keys", S3Gateway.ACCESS_KEY, "not-the-secret");
    Run denied = serve(location, wrongKeys);
    assertThat(denied.exit()).as(denied.stderr()).isEqualTo(ExitCodes.Serve.BAD_ARTIFACT);
    assertThat(denied.line()).contains(location, "HTTP 403", "access denied", wrongKeys.toString());

    Run missing = serve("s3://" + BUCKET + "/digits/v4/nothing.pt", credentials);
    assertThat(missing.exit()).as(missing.stderr()).isEqualTo(ExitCodes.Serve.BAD_ARTIFACT);
    assertThat(missing.line())
        .contains("HTTP 404", "no object digits/v4/nothing.pt in bucket models");
  }

  private record Run(int exit, String stderr) {
    String line() {
      List<String> ours = stderr.lines().filter(l -> l.startsWith("serve: ")).toList();
      assertThat(ours).as(stderr).hasSize(1);
      assertThat(stderr).doesNotContain("\tat ", "Exception in thread");
      return ours.get(0);
    }
  }

  private static Run serve(String location, Path secret, String... more) throws Exception {
    List<String> command =
        RuntimeProcess.command(
            "serve",
            "--grpc-port",
            "0",
            "--model",
            location,
            "--port",
            "0",
            "--cache-dir",
            Files.createTempDirectory(dir, "cache").toString(),
            "--source-credentials",
            secret.toString());
    command.addAll(List.of(more));
    Path err = Files.createTempFile(dir, "serve", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(err.toFile());
    builder.environment().putAll(environment(server.endpoint()));
    Process process = builder.start();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("serve exits").isTrue();
    return new Run(process.exitValue(), Files.readString(err));
  }

  private static void awaitGets(String key, long count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.gets(key) < count && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(server.gets(key)).isEqualTo(count);
  }
}
