package dev.maas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client checks in runtime/clients/: Python scripts driving a server with clients others wrote
 * (tritonclient, the KServe SDK), from the cached virtual environment setup.sh makes.
 */
public final class ClientScripts {
  private static final Path CLIENTS = Path.of(System.getProperty("maas.clientsDir"));

  private final String python;

  private ClientScripts(String python) {
    this.python = python;
  }

  /** Creates the virtual environment once per machine (cached by its requirements). */
  public static ClientScripts setUp() throws IOException, InterruptedException {
    Run setup = run(List.of(CLIENTS.resolve("setup.sh").toString()));
    assertThat(setup.exit()).as("runtime/clients/setup.sh: " + setup.output()).isZero();
    return new ClientScripts(setup.output().strip().lines().reduce((a, b) -> b).orElseThrow());
  }

  /** Runs {@code script} with {@code args}; its exit code and everything it printed. */
  public Run script(String script, String... args) throws IOException, InterruptedException {
    return script(script, List.of(args));
  }

  public Run script(String script, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(python, CLIENTS.resolve(script).toString()));
    command.addAll(args);
    return run(command);
  }

  public record Run(int exit, String output) {}

  private static Run run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
