package dev.maas.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.contract.ServeFlags;
import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.Commands;
import dev.maas.operator.testing.Eventually;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container images, built from their Dockerfiles by {@code images/build.sh} (Debian packages
 * and the staged jars, no container engine), unpacked with umoci and run the way a kubelet runs the
 * pods the operator renders: the image's own entrypoint, env and user (65532), a read-only root,
 * only the pod's emptyDirs writable, every capability dropped. What runs here is what a registry
 * would serve, layer for layer.
 */
@Tag(ClusterTest.TAG)
class ImagesTest {
  private static final Path REPO = Path.of(System.getProperty("maas.repoRoot")).normalize();
  private static final Path EXAMPLES = Path.of(System.getProperty("maas.examplesDir"));
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void buildImages() {
    Commands.Result built =
        Commands.run(List.of(REPO.resolve("images/build.sh").toString()), Map.of());
    assertThat(built.exitCode()).as(built.stderr() + built.stdout()).isZero();
  }

  @Test
  void theRuntimeImageServesTheModelAsUid65532OnAReadOnlyRoot(@TempDir Path pod) throws Exception {
    Path rootfs = unpack("runtime", pod.resolve("bundle"));
    Path cache = emptyDir(pod.resolve("cache"));
    Path tmp = emptyDir(pod.resolve("tmp"));
    Path models = Files.createDirectories(pod.resolve("models"));
    Files.copy(EXAMPLES.resolve("models/digits_mlp.pt"), models.resolve("digits_mlp.pt"));
    int port = freePort();

    List<String> mounts =
        List.of(
            "--bind",
            cache.toString(),
            "/var/cache/maas",
            "--bind",
            tmp.toString(),
            "/tmp",
            "--ro-bind",
            models.toString(),
            "/models");
    // What the operator's Deployment adds to the image's env for this model.
    Map<String, String> podEnv =
        Map.of(
            ServeFlags.ENV_MODEL_URI, "file:///models/digits_mlp.pt",
            ServeFlags.ENV_MODEL_SHA256,
                "c3f173da556a99a6931f0abbda7b59a7132e8a008311f215a466c90c314ccf14",
            ServeFlags.ENV_SERVED_NAME, "digits",
            ServeFlags.ENV_INPUTS, "input:FP32:-1,64",
            ServeFlags.ENV_PORT, Integer.toString(port));
    Process server =
        new ProcessBuilder(container(pod.resolve("bundle"), rootfs, mounts, podEnv, List.of()))
            .redirectErrorStream(true)
            .redirectOutput(pod.resolve("log").toFile())
            .start();
    try {
      awaitReady(port, server, pod.resolve("log"));
      String infer = "http://127.0.0.1:" + port + "/v2/models/digits/infer";
      assertThat(new HeldOutDigits(EXAMPLES.resolve("models/digits_test.json")).accuracy(infer))
          .as("held-out accuracy through the image (models.json records 97.78%)")
          .isCloseTo(0.9778, org.assertj.core.data.Offset.offset(0.001));

      ProcessHandle java = javaIn(server.toHandle()).orElseThrow();
      String status = Files.readString(Path.of("/proc", java.pid() + "", "status"));
      assertThat(status).containsPattern("Uid:\\s+65532\\s+65532\\s+65532\\s+65532");
      assertThat(status).containsPattern("CapEff:\\s+0+\\n");
      String rootMount =
          Files.readAllLines(Path.of("/proc", java.pid() + "", "mountinfo")).stream()
              .filter(line -> line.split(" ")[4].equals("/"))
              .findFirst()
              .orElseThrow();
      assertThat(rootMount.split(" ")[5]).as("root mount options").startsWith("ro");
      // libtorch went where the operator's pods give DJL room: the cache emptyDir.
      try (var unpacked = Files.walk(cache)) {
        assertThat(unpacked.anyMatch(p -> p.getFileName().toString().startsWith("libtorch")))
            .as("libtorch unpacked into the cache emptyDir")
            .isTrue();
      }
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  @Test
  void theOperatorImageRendersAnExampleAsUid65532OnAReadOnlyRoot(@TempDir Path pod)
      throws Exception {
    Path rootfs = unpack("operator", pod.resolve("bundle"));
    Path tmp = emptyDir(pod.resolve("tmp"));
    List<String> mounts =
        List.of("--bind", tmp.toString(), "/tmp", "--ro-bind", EXAMPLES.toString(), "/examples");
    List<String> command =
        container(
            pod.resolve("bundle"),
            rootfs,
            mounts,
            Map.of(),
            List.of(
                "render",
                "-f",
                "/examples/digits-cpu.yaml",
                "--config",
                "/examples/operator-config.yaml"));
    Commands.Result rendered = Commands.run(command, Map.of());
    assertThat(rendered.exitCode()).as(rendered.stderr()).isZero();
    assertThat(rendered.stdout())
        .contains(
            "kind: \"Deployment\"",
            "kind: \"Service\"",
            "image: \"registry.example.com/maas/runtime");
    assertThat(imageConfig(pod.resolve("bundle")).path("User").asText()).isEqualTo("65532:65532");
  }

  /** Unpacks the built image's layers into a bundle (rootfs + OCI runtime config). */
  private static Path unpack(String image, Path bundle) {
    String version =
        REPO.resolve("images/target").toString() + "/" + image + ":" + projectVersion();
    Commands.Result unpacked =
        Commands.run(List.of("umoci", "unpack", "--image", version, bundle.toString()), Map.of());
    assertThat(unpacked.exitCode()).as(unpacked.stderr()).isZero();
    try {
      Files.createSymbolicLink(bundle.resolve("layout"), REPO.resolve("images/target/" + image));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bundle.resolve("rootfs");
  }

  /**
   * The container as an OCI runtime would start it, from the bundle's config.json (process args,
   * env and user), with bubblewrap: the root filesystem bound and then made read-only, the pod's
   * volumes over it, new PID/IPC/UTS namespaces, then setpriv to the image's user with no
   * capabilities and no new privileges.
   */
  private static List<String> container(
      Path bundle,
      Path rootfs,
      List<String> mounts,
      Map<String, String> podEnv,
      List<String> argsOverride)
      throws IOException {
    JsonNode process = JSON.readTree(bundle.resolve("config.json").toFile()).get("process");
    List<String> command =
        new ArrayList<>(List.of("env", "-i", "bwrap", "--bind", rootfs.toString(), "/"));
    command.addAll(List.of("--dev", "/dev", "--proc", "/proc"));
    for (int i = 0; i < mounts.size(); i += 3) {
      command.addAll(List.of("--dir", mounts.get(i + 2)));
    }
    command.addAll(mounts);
    command.addAll(List.of("--remount-ro", "/", "--unshare-pid", "--unshare-ipc", "--unshare-uts"));
    command.addAll(List.of("--die-with-parent", "--chdir", process.path("cwd").asText("/")));
    for (JsonNode pair : process.get("env")) {
      String[] kv = pair.asText().split("=", 2);
      command.addAll(List.of("--setenv", kv[0], kv[1]));
    }
    podEnv.forEach((k, v) -> command.addAll(List.of("--setenv", k, v)));
    JsonNode user = process.get("user");
    command.addAll(
        List.of(
            "--",
            "setpriv",
            "--reuid=" + user.get("uid").asLong(),
            "--regid=" + user.get("gid").asLong(),
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--no-new-privs"));
    List<String> args = new ArrayList<>();
    process.get("args").forEach(a -> args.add(a.asText()));
    if (!argsOverride.isEmpty()) {
      // The image's entrypoint with the pod's args in place of the image's CMD.
      int entrypoint = args.size() - imageConfig(bundle).path("Cmd").size();
      args.subList(entrypoint, args.size()).clear();
      args.addAll(argsOverride);
    }
    command.addAll(args);
    return command;
  }

  /** The image config the bundle came from (config.json merges entrypoint and cmd). */
  private static JsonNode imageConfig(Path bundle) throws IOException {
    JsonNode manifestDescriptor =
        JSON.readTree(bundle.resolve("umoci.json").toFile())
            .path("from_descriptor_path")
            .path("descriptor_walk")
            .get(0);
    Path layout = Path.of(bundle.resolve("layout").toRealPath().toString());
    JsonNode manifest = JSON.readTree(blob(layout, manifestDescriptor.get("digest").asText()));
    return JSON.readTree(blob(layout, manifest.path("config").path("digest").asText()))
        .path("config");
  }

  private static java.io.File blob(Path layout, String digest) {
    return layout.resolve("blobs/sha256/" + digest.substring("sha256:".length())).toFile();
  }

  /** An emptyDir: owned by the pod's user, as fsGroup makes it. */
  private static Path emptyDir(Path dir) throws IOException {
    Files.createDirectories(dir);
    Commands.run(List.of("chown", "65532:65532", dir.toString()), Map.of());
    return dir;
  }

  private static Optional<ProcessHandle> javaIn(ProcessHandle sandbox) {
    return sandbox.descendants().filter(ImagesTest::isJava).findFirst();
  }

  private static boolean isJava(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc", process.pid() + "", "comm")).strip().equals("java");
    } catch (IOException gone) {
      return false;
    }
  }

  private static void awaitReady(int port, Process server, Path log) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/health/ready")).build();
    Eventually.until(
        () -> "the runtime to be ready: " + read(log),
        Duration.ofMinutes(2),
        Duration.ofMillis(250),
        () -> {
          if (!server.isAlive()) {
            throw new IllegalStateException("the runtime exited: " + read(log));
          }
          return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String projectVersion() {
    try {
      String pom = Files.readString(REPO.resolve("pom.xml"));
      int start = pom.indexOf("<version>") + "<version>".length();
      return pom.substring(start, pom.indexOf("</version>", start));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
