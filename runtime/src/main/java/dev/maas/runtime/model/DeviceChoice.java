package dev.maas.runtime.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Where the model runs: {@code auto} takes the first GPU when the engine sees one. */
public enum DeviceChoice {
  auto,
  cpu,
  gpu;

  public Device resolve(Engine engine) {
    return switch (this) {
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
