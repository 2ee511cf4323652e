package dev.maas.contract;

/** Where serve runs the model: {@code --device} / {@code MAAS_DEVICE}. */
public enum DeviceChoice {
  /** The GPU when the engine sees one, else the CPU. */
  auto,
  cpu,
  gpu
}
