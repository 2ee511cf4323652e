package dev.maas.runtime.compress;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import dev.maas.runtime.model.ArtifactException;
import dev.maas.runtime.model.ModelLoader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Serves a package: extracts its module, loads it editable and writes the restored weights back
 * before anything runs on it. DJL cannot change a loaded module's dtype, so computation stays in
 * float32; the package is a storage and transfer format.
 */
public final class PackageLoader {
  private final ModelLoader loader;
  private final Path workDir;

  public PackageLoader(ModelLoader loader, Path workDir) {
    this.loader = loader;
    this.workDir = workDir;
  }

  /** The restored model and the extracted TorchScript module it was loaded from. */
  public record Loaded(ZooModel<NDList, NDList> model, Path module) {}

  public Loaded load(Path packageFile, Device device) {
    ModelPackage.Opened opened;
    try {
      opened = ModelPackage.open(packageFile, workDir);
    } catch (IOException | RuntimeException e) {
      throw new ArtifactException("cannot read package " + packageFile + ": " + e.getMessage(), e);
    }
    ZooModel<NDList, NDList> model = loader.loadForEditing(opened.module(), device);
    try {
      WeightEditor editor = new WeightEditor(model.getBlock(), model.getNDManager());
      for (PackageManifest.TensorEntry entry : opened.manifest().tensors()) {
        long[] shape = entry.shape().stream().mapToLong(Long::longValue).toArray();
        editor.set(
            editor.weight(entry.name()),
            WeightCodec.decode(entry.name(), entry.encoding(), shape, opened.weights()));
      }
      return new Loaded(model, opened.module());
    } catch (RuntimeException e) {
      model.close();
      throw new ArtifactException(
          "cannot restore the weights of " + packageFile + ": " + e.getMessage(), e);
    }
  }
}
