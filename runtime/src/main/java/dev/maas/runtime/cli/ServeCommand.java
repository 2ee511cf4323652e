package dev.maas.runtime.cli;

import dev.maas.contract.Commands;
import dev.maas.contract.ExitCodes;
import dev.maas.runtime.http.ListenException;
import dev.maas.runtime.model.ArtifactException;
import dev.maas.runtime.model.ModelMismatchException;
import dev.maas.runtime.server.ModelServer;
import dev.maas.runtime.server.ServeConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code serve}: start listening, load the model, serve until SIGTERM, then drain. */
@Command(
    name = Commands.SERVE,
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    description =
        "Serve a TorchScript model over the Open Inference Protocol (KServe V2) REST API.")
public final class ServeCommand implements Callable<Integer> {
  @Mixin ServeOptions options = new ServeOptions();

  /**
   * Every way start-up can fail ends in one line on stderr naming the flag or the artifact, and an
   * exit code of its own; the drain hook is only installed once the model serves.
   */
  @Override
  public Integer call() throws Exception {
    ServeConfig config;
    try {
      config = options.toConfig();
    } catch (IllegalArgumentException e) {
      System.err.println("serve: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    EngineSettings.apply(config.intraOpThreads());
    ModelServer server;
    try {
      server = ModelServer.listen(config);
    } catch (ListenException e) {
      System.err.println("serve: " + e.getMessage());
      return ExitCodes.Serve.CANNOT_LISTEN;
    } catch (IllegalArgumentException e) {
      // A flag's file that cannot be used (--api-keys): named in the message.
      System.err.println("serve: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread drainOnSigterm =
        new Thread(
            () -> {
              server.drain(config.drainTimeout());
              stopped.countDown();
            },
            "drain");
    Runtime.getRuntime().addShutdownHook(drainOnSigterm);
    int failed;
    try {
      server.loadModel();
      stopped.await();
      return 0;
    } catch (ArtifactException e) {
      System.err.println("serve: " + e.getMessage());
      failed = ExitCodes.Serve.BAD_ARTIFACT;
    } catch (ModelMismatchException e) {
      System.err.println("serve: " + e.getMessage());
      failed = ExitCodes.Serve.MODEL_MISMATCH;
    }
    Runtime.getRuntime().removeShutdownHook(drainOnSigterm);
    server.close();
    return failed;
  }
}
