package dev.maas.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime as its own JVM, with this test run's classpath: for what only a real process shows
 * (exit codes and stderr at start-up, SIGTERM and the drain). The server's own logging
 * configuration is used, not the tests' quieter one, since those tests read what it prints.
 */
public final class RuntimeProcess {
  private RuntimeProcess() {}

  /** {@code java -cp <this classpath> RuntimeMain <args>}. */
  public static List<String> command(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=logback.xml",
                "-cp",
                System.getProperty("java.class.path"),
                RuntimeMain.class.getName()));
    command.addAll(List.of(args));
    return command;
  }
}
