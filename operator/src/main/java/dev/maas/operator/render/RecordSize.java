package dev.maas.operator.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas.operator.revision.CanonicalJson;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a revision's record fits in the API server's store. etcd refuses a write over 1.5 MiB
 * (its default {@code --max-request-bytes}) with "request is too large", and the record repeats the
 * spec's pod-shaping fields twice (the template and the spec it came from), so a spec that
 * server-side apply admits can still make a record no write can store. Said before the write, with
 * the field to blame, instead of retried until the operator gives up.
 */
public final class RecordSize {
  /** Below etcd's 1.5 MiB, with room for metadata, managedFields and the status annotations. */
  public static final int LIMIT_BYTES = 1024 * 1024;

  private RecordSize() {}

  /** Empty when it fits; else one line naming the size and the largest value of the spec. */
  public static Optional<String> problem(ControllerRevision record, Object spec) {
    int bytes = Serialization.asJson(record).getBytes(StandardCharsets.UTF_8).length;
    if (bytes <= LIMIT_BYTES) {
      return Optional.empty();
    }
    Largest largest = new Largest();
    largest.visit("spec", CanonicalJson.tree(spec));
    return Optional.of(
        "the spec is too large to record as a revision: its ControllerRevision would be "
            + bytes
            + " bytes, over the "
            + LIMIT_BYTES
            + " an object can hold (etcd refuses requests over 1.5 MiB); the largest value is "
            + largest.path
            + " ("
            + largest.length
            + " characters)");
  }

  /** The longest text value of a JSON tree, and where it is. */
  private static final class Largest {
    private String path = "spec";
    private int length;

    void visit(String at, JsonNode node) {
      if (node == null) {
        return;
      }
      if (node.isTextual() && node.asText().length() > length) {
        length = node.asText().length();
        path = at;
      } else if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          visit(at + "[" + i + "]", node.get(i));
        }
      } else if (node.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          visit(at + "." + field.getKey(), field.getValue());
        }
      }
    }
  }
}
