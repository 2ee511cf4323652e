package dev.maas.runtime.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas.contract.ExitCodes;
import dev.maas.runtime.RuntimeMain;
import dev.maas.runtime.RuntimeProcess;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import dev.maas.runtime.model.ArtifactException;
import dev.maas.runtime.model.Sha256;
import dev.maas.runtime.server.ServeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * keygen, encrypt and decrypt as a user runs them, and serve loading an encrypted artifact: the
 * ciphertext is not the model, the plaintext lies only in the memory directory while it loads, and
 * a wrong key, a flipped byte or a cut-off file is refused whole, with one line.
 */
class EncryptedArtifactTest {
  private static final byte[] ZIP_HEADER = {'P', 'K', 3, 4};

  @TempDir Path dir;

  private static int run(String... args) {
    return new CommandLine(new RuntimeMain()).execute(args);
  }

  private Path key(String name) {
    Path key = dir.resolve(name);
    assertThat(run("keygen", "--out", key.toString())).isZero();
    return key;
  }

  private Path encrypted(Path key) throws Exception {
    Path out = dir.resolve("digits_mlp.pt.enc");
    assertThat(
            run(
                "encrypt",
                "--key",
                key.toString(),
                "--in",
                TestModels.digitsMlp().toString(),
                "--out",
                out.toString()))
        .isZero();
    return out;
  }

  @Test
  void aKeyIsTheOwnersAloneAndNeverOverwritten() throws Exception {
    Path key = key("model.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    byte[] first = Files.readAllBytes(key);
    assertThat(run("keygen", "--out", key.toString())).isEqualTo(ExitCodes.Keys.OUTPUT_EXISTS);
    assertThat(Files.readAllBytes(key)).isEqualTo(first);
    assertThat(Files.readString(key)).contains("AesGcmHkdfStreamingKey");
  }

  @Test
  void anEncryptedModelIsNotTheModelAndDecryptsToItExactly() throws Exception {
    Path key = key("model.key");
    Path ciphertext = encrypted(key);
    byte[] plain = Files.readAllBytes(TestModels.digitsMlp());
    byte[] stored = Files.readAllBytes(ciphertext);
    assertThat(Arrays.copyOf(plain, 4)).isEqualTo(ZIP_HEADER);
    assertThat(indexOf(stored, ZIP_HEADER)).as("no TorchScript zip inside").isEqualTo(-1);
    assertThat(indexOf(stored, "digits".getBytes())).isEqualTo(-1);

    Path back = dir.resolve("back.pt");
    assertThat(
            run(
                "decrypt",
                "--key",
                key.toString(),
                "--in",
                ciphertext.toString(),
                "--out",
                back.toString()))
        .isZero();
    assertThat(Files.readAllBytes(back)).isEqualTo(plain);
  }

  @Test
  void aWrongKeyAFlippedByteOrACutOffFileDecryptsToNothing() throws Exception {
    Path key = key("model.key");
    Path other = key("other.key");
    Path ciphertext = encrypted(key);
    byte[] stored = Files.readAllBytes(ciphertext);
    Path flipped = dir.resolve("flipped.enc");
    byte[] copy = stored.clone();
    copy[copy.length / 2] ^= 1;
    Files.write(flipped, copy);
    Path truncated = dir.resolve("truncated.enc");
    Files.write(truncated, Arrays.copyOf(stored, stored.length - 100));

    for (String[] bad :
        List.of(
            new String[] {other.toString(), ciphertext.toString()},
            new String[] {key.toString(), flipped.toString()},
            new String[] {key.toString(), truncated.toString()})) {
      Path out = dir.resolve("out-" + Math.abs(Arrays.hashCode(bad)) + ".pt");
      assertThat(run("decrypt", "--key", bad[0], "--in", bad[1], "--out", out.toString()))
          .as(String.join(" ", bad))
          .isEqualTo(ExitCodes.Keys.BAD_INPUT);
      assertThat(out).as("nothing half-decrypted is left").doesNotExist();
    }
    try (var leftovers = Files.list(dir)) {
      assertThat(leftovers.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".partial"));
    }
  }

  @Test
  void serveLoadsAnEncryptedModelFromMemoryAndLeavesNoPlaintext() throws Exception {
    Path key = key("model.key");
    Path ciphertext = encrypted(key);
    Path memory = Files.createDirectories(dir.resolve("shm"));
    String request =
        "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,64],\"data\":"
            + Arrays.toString(new float[64]).replace(" ", "")
            + "}]}";
    String plainAnswer;
    try (TestServer plain =
        TestServer.start(
            TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 8))) {
      plainAnswer =
          TestServer.json(plain.post("/v2/models/digits/infer", request)).get("outputs").toString();
    }
    ServeConfig config =
        TestServer.config(ciphertext, "digits", "input:FP32:-1,64", 8).withModelKey(key, memory);
    try (TestServer server = TestServer.start(config)) {
      assertThat(
              TestServer.json(server.post("/v2/models/digits/infer", request))
                  .get("outputs")
                  .toString())
          .isEqualTo(plainAnswer);
      try (var left = Files.list(memory)) {
        assertThat(left.toList()).as("the plaintext is deleted once loaded").isEmpty();
      }
    }
    // The digest a spec names is of the file as stored.
    assertThat(Sha256.of(ciphertext)).isNotEqualTo(Sha256.of(TestModels.digitsMlp()));

    Path other = key("other.key");
    assertThatThrownBy(
            () ->
                TestServer.start(
                    TestServer.config(ciphertext, "digits", "input:FP32:-1,64", 8)
                        .withModelKey(other, memory)))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("cannot decrypt")
        .hasMessageContaining("a wrong key, or the file is corrupt or truncated");
    try (var left = Files.list(memory)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void compressWithTheKeyWritesTheSourceAsAnEncryptedPackageThatServeLoads() throws Exception {
    Path key = key("model.key");
    Path ciphertext = encrypted(key);
    Path memory = Files.createDirectories(dir.resolve("shm"));
    Path packages = dir.resolve("packages");
    Path report = dir.resolve("report.json");
    String[] compress = {
      "compress",
      "--source",
      ciphertext.toString(),
      "--sha256",
      Sha256.of(ciphertext),
      "--method",
      "Int8",
      "--inputs",
      "input:FP32:-1,64",
      "--output",
      packages.toString(),
      "--report-file",
      report.toString(),
      "--cache-dir",
      dir.resolve("cache").toString(),
      "--model-key",
      key.toString(),
      "--decrypted-dir",
      memory.toString()
    };
    assertThat(run(compress)).isZero();
    JsonNode made = TestServer.JSON.readTree(report.toFile());
    Path pkg = Path.of(made.get("packagePath").asText());
    byte[] stored = Files.readAllBytes(pkg);
    assertThat(indexOf(stored, ZIP_HEADER))
        .as("no zip (package or TorchScript) inside")
        .isEqualTo(-1);
    assertThat(Sha256.of(pkg)).isEqualTo(made.get("packageSha256").asText());
    try (var written = Files.list(packages);
        var left = Files.list(memory)) {
      assertThat(written.toList())
          .as("only the package's ciphertext on the volume")
          .containsExactly(pkg);
      assertThat(left.toList()).as("no plaintext left in memory").isEmpty();
    }
    // Run again: the package under its key is found, its manifest read through the key.
    assertThat(run(compress)).isZero();
    assertThat(TestServer.JSON.readTree(report.toFile()).get("cached").asBoolean()).isTrue();
    assertThat(Files.readAllBytes(pkg)).isEqualTo(stored);

    String request =
        "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,64],\"data\":"
            + Arrays.toString(new float[64]).replace(" ", "")
            + "}]}";
    ServeConfig config =
        TestServer.config(pkg, "digits", "input:FP32:-1,64", 8).withModelKey(key, memory);
    try (TestServer server = TestServer.start(config)) {
      assertThat(server.post("/v2/models/digits/infer", request).statusCode()).isEqualTo(200);
    }
    try (var left = Files.list(memory)) {
      assertThat(left.toList()).isEmpty();
    }

    // A wrong key: exit 2 (bad input, the Job fails at once), no package, nothing in memory.
    Path otherPackages = dir.resolve("other-packages");
    String[] wrong = compress.clone();
    wrong[wrong.length - 3] = key("other.key").toString();
    wrong[10] = otherPackages.toString();
    assertThat(run(wrong)).isEqualTo(ExitCodes.Compress.BAD_INPUT);
    assertThat(TestServer.JSON.readTree(report.toFile()).get("message").asText())
        .contains("cannot decrypt")
        .contains("--model-key");
    try (var written = Files.list(otherPackages);
        var left = Files.list(memory)) {
      assertThat(written.toList()).isEmpty();
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void serveWithAWrongKeyExits2WithOneLine() throws Exception {
    Path key = key("model.key");
    Path ciphertext = encrypted(key);
    Process process =
        new ProcessBuilder(
                RuntimeProcess.command(
                    "serve",
                    "--grpc-port",
                    "0",
                    "--model",
                    ciphertext.toString(),
                    "--model-key",
                    key("other.key").toString(),
                    "--decrypted-dir",
                    Files.createDirectories(dir.resolve("mem")).toString(),
                    "--cache-dir",
                    dir.resolve("cache").toString(),
                    "--port",
                    "0"))
            .redirectErrorStream(false)
            .start();
    String stderr = new String(process.getErrorStream().readAllBytes());
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(stderr).isEqualTo(ExitCodes.Serve.BAD_ARTIFACT);
    assertThat(stderr.lines().filter(l -> l.startsWith("serve: ")).toList())
        .singleElement()
        .satisfies(l -> assertThat(l).contains("cannot decrypt").contains("--model-key"));
    assertThat(stderr).doesNotContain("\tat ");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
