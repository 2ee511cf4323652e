package dev.maas.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command line (kubectl, helm, the plugin, a script) and keeps what it printed. */
public final class Commands {
  private Commands() {}

  /** What a command printed, and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return stdout + stderr;
    }
  }

  /** Runs to the end, or fails after 5 minutes. */
  public static Result run(List<String> command, Map<String, String> env) {
    return run(command, env, Duration.ofMinutes(5));
  }

  /** Runs to the end, or fails once {@code timeout} has passed (the process is killed). */
  public static Result run(List<String> command, Map<String, String> env, Duration timeout) {
    try {
      Path out = Files.createTempFile("cmd", ".out");
      Path err = Files.createTempFile("cmd", ".err");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " took over " + timeout);
        }
        return new Result(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
