package dev.maas.runtime.cli;

/**
 * DJL reads these system properties once, when the PyTorch engine starts, so they are set before
 * anything touches the engine.
 */
public final class EngineSettings {
  private EngineSettings() {}

  public static void apply(int intraOpThreads) {
    // Never reach for the network: libtorch comes from the native jar on the classpath.
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOpThreads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }
}
