package dev.maas.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Triton's own gRPC client ({@code tritonclient.grpc}, runtime/clients/triton_grpc_check.py) from
 * the runtime's cached client environment, pointed at a Service's {@code grpc} port.
 */
final class TritonGrpcClient {
  private static final Path CLIENTS =
      ProcessCluster.EXAMPLES.getParent().resolve("runtime/clients");

  private TritonGrpcClient() {}

  /** Runs the digits checks against {@code address}; returns what the script printed. */
  static String checkDigits(String address, String model, Path heldOut)
      throws IOException, InterruptedException {
    String python = run(List.of(CLIENTS.resolve("setup.sh").toString())).strip();
    python = python.lines().reduce((a, b) -> b).orElseThrow();
    List<String> command =
        new ArrayList<>(
            List.of(
                python,
                CLIENTS.resolve("triton_grpc_check.py").toString(),
                address,
                "digits",
                model,
                heldOut.toString()));
    return run(command);
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    return output;
  }
}
