package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How a container ended, as the kubelet reports it: the exit code and the termination message (the
 * file the container wrote, at most 4096 bytes; with FallbackToLogsOnError and an empty file, the
 * last lines of its log), which is how the operator reads compress's report and why a runtime
 * failed.
 */
final class TerminationMessages {
  private static final int MAX_MESSAGE = 4096;
  private static final int FALLBACK_LOG_LINES = 80;
  private static final int FALLBACK_LOG_BYTES = 2048;

  private TerminationMessages() {}

  static ContainerStateTerminated terminated(
      Container container,
      int exit,
      String startedAt,
      String finishedAt,
      Path terminationLog,
      Path log) {
    String message = read(terminationLog);
    String policy = Optional.ofNullable(container.getTerminationMessagePolicy()).orElse("File");
    if (message.isBlank() && exit != 0 && policy.equals("FallbackToLogsOnError")) {
      message = tail(log);
    }
    return new ContainerStateTerminatedBuilder()
        .withExitCode(exit)
        .withReason(exit == 0 ? "Completed" : "Error")
        .withMessage(message.isBlank() ? null : message)
        .withStartedAt(startedAt)
        .withFinishedAt(finishedAt)
        .build();
  }

  private static String read(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return new String(bytes, 0, Math.min(bytes.length, MAX_MESSAGE), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last lines of the container's log, as FallbackToLogsOnError takes them. */
  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      String text =
          String.join(
              "\n", lines.subList(Math.max(0, lines.size() - FALLBACK_LOG_LINES), lines.size()));
      return text.length() <= FALLBACK_LOG_BYTES
          ? text
          : text.substring(text.length() - FALLBACK_LOG_BYTES);
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }
}
