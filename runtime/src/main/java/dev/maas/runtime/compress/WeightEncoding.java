package dev.maas.runtime.compress;

import dev.maas.contract.PruningScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes every compressible weight as the package stores it, and writes its decoded form back into
 * the editable module, so that the acceptance check measures exactly what serve will restore.
 */
final class WeightEncoding {
  private WeightEncoding() {}

  /** Everything the package stores for the compressed weights, and their manifest entries. */
  record EncodedWeights(
      Map<String, StoredTensor> stored, List<PackageManifest.TensorEntry> entries) {}

  static EncodedWeights encodeAndApply(
      WeightEditor editor, List<WeightEditor.Weight> weights, CompressionSettings settings) {
    Map<String, StoredTensor> stored = new LinkedHashMap<>();
    List<PackageManifest.TensorEntry> entries = new ArrayList<>();
    boolean global = settings.method().prunes() && settings.scope() == PruningScope.Global;
    float globalThreshold =
        global ? WeightCodec.pruneThreshold(concat(weights), settings.sparsity()) : -1f;
    for (WeightEditor.Weight weight : weights) {
      float[] values = weight.array().toFloatArray();
      float threshold =
          !settings.method().prunes()
              ? -1f
              : global ? globalThreshold : WeightCodec.pruneThreshold(values, settings.sparsity());
      WeightCodec.Encoded encoded =
          WeightCodec.encode(weight.name(), values, weight.shape(), settings.method(), threshold);
      stored.putAll(encoded.tensors());
      editor.set(
          weight,
          WeightCodec.decode(weight.name(), encoded.encoding(), weight.shape(), encoded.tensors()));
      entries.add(entry(weight, encoded));
    }
    return new EncodedWeights(stored, entries);
  }

  private static PackageManifest.TensorEntry entry(
      WeightEditor.Weight weight, WeightCodec.Encoded encoded) {
    Map<String, StoredTensor> tensors = encoded.tensors();
    String scale = weight.name() + ".scale";
    String mask = weight.name() + ".mask";
    return new PackageManifest.TensorEntry(
        weight.name(),
        Arrays.stream(weight.shape()).boxed().toList(),
        encoded.encoding(),
        tensors.get(weight.name()).dtype(),
        tensors.containsKey(scale) ? scale : null,
        tensors.containsKey(mask) ? mask : null,
        encoded.kept());
  }

  private static float[] concat(List<WeightEditor.Weight> weights) {
    int total = weights.stream().mapToInt(w -> Math.toIntExact(w.array().size())).sum();
    float[] all = new float[total];
    int offset = 0;
    for (WeightEditor.Weight w : weights) {
      float[] values = w.array().toFloatArray();
      System.arraycopy(values, 0, all, offset, values.length);
      offset += values.length;
    }
    return all;
  }
}
