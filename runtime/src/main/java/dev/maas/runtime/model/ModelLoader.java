package dev.maas.runtime.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.io.IOException;
import java.nio.file.Path;

/** Loads a TorchScript file with DJL's PyTorch engine, entirely from the local filesystem. */
public final class ModelLoader {

  public ZooModel<NDList, NDList> loadTorchScript(Path file, Device device) {
    return load(file, device, false);
  }

  /**
   * Loads with {@code trainParam=true}, which exposes the parameters, then freezes them: libtorch
   * refuses in-place writes to tensors that require gradients.
   */
  public ZooModel<NDList, NDList> loadForEditing(Path file, Device device) {
    ZooModel<NDList, NDList> model = load(file, device, true);
    model.getBlock().freezeParameters(true);
    return model;
  }

  /** Loads with its parameters exposed and trainable: a student that compress trains. */
  public ZooModel<NDList, NDList> loadForTraining(Path file, Device device) {
    ZooModel<NDList, NDList> model = load(file, device, true);
    model.getBlock().freezeParameters(false);
    return model;
  }

  private ZooModel<NDList, NDList> load(Path file, Device device, boolean editable) {
    Criteria.Builder<NDList, NDList> builder =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(file)
            .optModelName(stem(file))
            .optEngine("PyTorch")
            .optDevice(device)
            .optTranslator(new NoopTranslator())
            .optOption("mapLocation", "true");
    if (editable) {
      builder.optOption("trainParam", "true");
    }
    Criteria<NDList, NDList> criteria = builder.build();
    try {
      return criteria.loadModel();
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      throw new ArtifactException(
          "cannot load " + file + " as a TorchScript model: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new ArtifactException(
          "libtorch refused " + file + " (is it a TorchScript file?): " + e.getMessage(), e);
    }
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
