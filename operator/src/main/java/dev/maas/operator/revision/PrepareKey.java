package dev.maas.operator.revision;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Identifies a prepared artifact by everything that goes into making it: the runtime image (its
 * compressor), the source and its digest, the input signature the samples come from, the
 * compression settings and thresholds, and the claim it is written to. Two revisions that differ
 * only in, say, batching share one package and one Job.
 */
public final class PrepareKey {
  private PrepareKey() {}

  public static String of(RuntimeTemplate template) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("image", template.image());
    inputs.put("source", template.source());
    inputs.put("inputs", template.inputs());
    inputs.put("compression", template.compression());
    inputs.put("storageClaim", template.storageClaim());
    return CanonicalJson.sha256(CanonicalJson.of(inputs)).substring(0, 10);
  }
}
