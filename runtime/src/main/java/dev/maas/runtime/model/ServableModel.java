package dev.maas.runtime.model;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.ZooModel;
import java.util.Optional;

/**
 * A loaded model and what the server knows about it. The model is shared by all workers; each
 * worker makes its own {@link Predictor}, since a predictor is not thread-safe.
 */
public final class ServableModel implements AutoCloseable {
  private final String name;
  private final String version;
  private final ZooModel<NDList, NDList> model;
  private final Optional<InputSignature> signature;
  private final InputBinding binding;
  private final Device device;
  private final String artifactSha256;

  public ServableModel(
      String name,
      String version,
      ZooModel<NDList, NDList> model,
      Optional<InputSignature> signature,
      InputBinding binding,
      Device device,
      String artifactSha256) {
    this.name = name;
    this.version = version;
    this.model = model;
    this.signature = signature;
    this.binding = binding;
    this.device = device;
    this.artifactSha256 = artifactSha256;
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public Optional<InputSignature> signature() {
    return signature;
  }

  /** How requests' named inputs become forward's arguments. */
  public InputBinding binding() {
    return binding;
  }

  public Device device() {
    return device;
  }

  public String artifactSha256() {
    return artifactSha256;
  }

  public Predictor<NDList, NDList> newPredictor() {
    return model.newPredictor();
  }

  /** A manager for one batch's arrays, on the model's device; close it when the batch is done. */
  public NDManager newBatchManager() {
    return model.getNDManager().newSubManager(device);
  }

  @Override
  public void close() {
    model.close();
  }
}
