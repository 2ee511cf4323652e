package dev.maas.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.contract.ExitCodes;
import dev.maas.runtime.RuntimeProcess;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.tls.TestCertificates;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when serve cannot start: the runtime as its own process, with its own logging,
 * ends with one line naming the flag (no stack trace, no "drained" epilogue) and an exit code that
 * tells the failures apart.
 */
class ServeStartupErrorsTest {
  @TempDir Path tmp;

  private record Run(int exit, String stderr) {}

  /** serve without gRPC (its default port would be bound by every run). */
  private Run serve(String... args) throws Exception {
    List<String> withoutGrpc = new java.util.ArrayList<>(List.of("--grpc-port", "0"));
    withoutGrpc.addAll(List.of(args));
    return serveAsGiven(withoutGrpc);
  }

  private Run serveAsGiven(List<String> args) throws Exception {
    List<String> command =
        RuntimeProcess.command("serve", "--cache-dir", tmp.resolve("cache").toString());
    command.addAll(args);
    Path err = tmp.resolve("stderr");
    Process process =
        new ProcessBuilder(command)
            .redirectError(err.toFile())
            .redirectOutput(tmp.resolve("stdout").toFile())
            .start();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("serve exits").isTrue();
    return new Run(process.exitValue(), Files.readString(err));
  }

  private static void assertOneClearLine(Run run, int exit, String... words) {
    assertThat(run.exit()).as(run.stderr()).isEqualTo(exit);
    List<String> ours = run.stderr().lines().filter(l -> l.startsWith("serve: ")).toList();
    assertThat(ours).as(run.stderr()).hasSize(1);
    assertThat(ours.get(0)).contains(words);
    assertThat(run.stderr())
        .doesNotContain(
            "\tat ",
            "Exception in thread",
            "drained",
            "TorchScript interpreter",
            "Simple repository pointing to a non-archive file");
  }

  @Test
  void inputsTheModelDoesNotTakeNameTheFlagAndTheCause() throws Exception {
    Run run =
        serve(
            "--model",
            TestModels.digitsCnn().toString(),
            "--inputs",
            "input:FP32:-1,64",
            "--port",
            "0");
    assertOneClearLine(
        run, ExitCodes.Serve.MODEL_MISMATCH, "does not accept --inputs input:FP32:-1,64: ");
  }

  @Test
  void inputsDeclaredOutOfForwardsOrderAreRefusedRatherThanSwapped() throws Exception {
    Run swapped =
        serve(
            "--model",
            TestModels.twoInputs().toString(),
            "--inputs",
            "b:FP32:-1,4;a:FP32:-1,4",
            "--port",
            "0");
    assertOneClearLine(
        swapped,
        ExitCodes.Serve.MODEL_MISMATCH,
        "--inputs lists 'b' as input 1 but the model's forward takes it as argument 2 of (a, b)");
  }

  @Test
  void declaringFewerInputsThanForwardTakesIsRefused() throws Exception {
    Run tooFew =
        serve(
            "--model", TestModels.twoInputs().toString(), "--inputs", "a:FP32:-1,4", "--port", "0");
    assertOneClearLine(
        tooFew,
        ExitCodes.Serve.MODEL_MISMATCH,
        "--inputs declares 1 input(s) [a] but the model's forward takes 2: (a, b)");
  }

  @Test
  void moreOutputNamesThanTheModelHasAreRefused() throws Exception {
    Run run =
        serve(
            "--model",
            TestModels.digitsMlp().toString(),
            "--inputs",
            "input:FP32:-1,64",
            "--output-names",
            "a,b,c",
            "--port",
            "0");
    assertOneClearLine(
        run, ExitCodes.Serve.MODEL_MISMATCH, "--output-names names 3 output(s)", "produces 1");
  }

  @Test
  void aSignatureWithoutABatchDimensionIsAUsageError() throws Exception {
    Run run = serve("--model", TestModels.digitsMlp().toString(), "--inputs", "input:FP32:64");
    assertOneClearLine(
        run, ExitCodes.USAGE, "the first dim is the batch and must be -1", "input:FP32:-1,64");
  }

  @Test
  void aPortInUseOrOutOfRangeIsOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Run run =
          serve(
              "--model",
              TestModels.digitsMlp().toString(),
              "--host",
              "127.0.0.1",
              "--port",
              Integer.toString(taken.getLocalPort()));
      assertOneClearLine(run, ExitCodes.Serve.CANNOT_LISTEN, "cannot listen on 127.0.0.1:");
    }
    assertOneClearLine(
        serve("--model", TestModels.digitsMlp().toString(), "--port", "70000"),
        ExitCodes.USAGE,
        "--port must be between 0 and 65535");
    try (ServerSocket taken = new ServerSocket(0)) {
      Run run =
          serveAsGiven(
              List.of(
                  "--model",
                  TestModels.digitsMlp().toString(),
                  "--host",
                  "127.0.0.1",
                  "--port",
                  "0",
                  "--grpc-port",
                  Integer.toString(taken.getLocalPort())));
      assertOneClearLine(
          run, ExitCodes.Serve.CANNOT_LISTEN, "cannot listen on 127.0.0.1:", "--grpc-port");
    }
    assertOneClearLine(
        serveAsGiven(List.of("--model", TestModels.digitsMlp().toString(), "--grpc-port", "65536")),
        ExitCodes.USAGE,
        "--grpc-port must be between 0 (off) and 65535");
    assertOneClearLine(
        serveAsGiven(
            List.of(
                "--model",
                TestModels.digitsMlp().toString(),
                "--port",
                "9090",
                "--grpc-port",
                "9090")),
        ExitCodes.USAGE,
        "--grpc-port and --port must differ");
    assertOneClearLine(
        serve("--model", TestModels.digitsMlp().toString(), "--warm-up-seconds", "-1"),
        ExitCodes.USAGE,
        "--warm-up-seconds must be at least 0");
  }

  @Test
  void accessFilesThatCannotBeUsedAreOneLineNamingTheFlag() throws Exception {
    String model = TestModels.digitsMlp().toString();
    assertOneClearLine(
        serve("--model", model, "--api-keys", tmp.resolve("absent").toString()),
        ExitCodes.USAGE,
        "--api-keys",
        "cannot be read");
    Path empty = Files.createDirectories(tmp.resolve("empty-keys"));
    assertOneClearLine(
        serve("--model", model, "--api-keys", empty.toString()),
        ExitCodes.USAGE,
        "--api-keys",
        "holds no key");
    TestCertificates ca = TestCertificates.authority(tmp.resolve("ca"));
    TestCertificates.Issued one = ca.issue("one", TestCertificates.KeyKind.RSA_PKCS1);
    TestCertificates.Issued other = ca.issue("other", TestCertificates.KeyKind.EC_SEC1);
    assertOneClearLine(
        serve("--model", model, "--tls-cert", one.cert().toString()),
        ExitCodes.USAGE,
        "--tls-cert and --tls-key go together");
    assertOneClearLine(
        serve(
            "--model",
            model,
            "--tls-cert",
            one.cert().toString(),
            "--tls-key",
            other.key().toString()),
        ExitCodes.USAGE,
        "is not the key of the certificate");
    assertOneClearLine(
        serve(
            "--model",
            model,
            "--tls-cert",
            one.key().toString(),
            "--tls-key",
            one.key().toString()),
        ExitCodes.USAGE,
        "--tls-cert",
        "holds no PEM CERTIFICATE");
  }

  @Test
  void anUnknownFlagIsAUsageError() throws Exception {
    Run run = serve("--model", TestModels.digitsMlp().toString(), "--max-batch", "8");
    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr()).contains("--max-batch");
  }
}
