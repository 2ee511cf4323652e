package dev.maas.operator.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kstatus library (sigs.k8s.io/cli-utils/pkg/kstatus, what Flux waits with), through the
 * small {@code kstatus} command the toolchain builds from e2e/toolchain/kstatus.
 */
public final class Kstatus {
  /** kstatus's verdict: Current, InProgress, Failed, Terminating, ... */
  public record Result(String status, String message) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path binary;

  public Kstatus(Path binary) {
    this.binary = binary;
  }

  public Result compute(Path file) {
    List<String> command = new ArrayList<>(List.of(binary.toString(), file.toString()));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError(
            "kstatus failed on " + file + ": " + new String(out, StandardCharsets.UTF_8));
      }
      JsonNode line = JSON.readTree(out);
      return new Result(line.get("status").asText(), line.get("message").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
