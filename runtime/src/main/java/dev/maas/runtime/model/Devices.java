package dev.maas.runtime.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.maas.contract.DeviceChoice;

/** The device a {@link DeviceChoice} means on this machine. */
public final class Devices {
  private Devices() {}

  /** {@code auto} takes the first GPU when the engine sees one. */
  public static Device resolve(DeviceChoice choice, Engine engine) {
    return switch (choice) {
      case cpu -> Device.cpu();
      case gpu -> {
        if (engine.getGpuCount() == 0) {
          throw new ArtifactException(
              "--device gpu was requested but the PyTorch engine sees no GPU (is the CUDA build"
                  + " of libtorch on the classpath and a GPU visible?)");
        }
        yield Device.gpu();
      }
      case auto -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    };
  }
}
