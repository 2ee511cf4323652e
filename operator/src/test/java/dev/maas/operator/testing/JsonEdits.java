package dev.maas.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small edits of a manifest by dotted path ({@code spec.model.inputs.0.name}). */
public final class JsonEdits {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonEdits() {}

  /** Sets the value at the path, creating objects on the way; the value is any Jackson-mappable. */
  public static ObjectNode set(ObjectNode root, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonNode parent = parentOf(root, parts, true);
    String last = parts[parts.length - 1];
    JsonNode json = MAPPER.valueToTree(value);
    if (parent instanceof ArrayNode array) {
      int index = Integer.parseInt(last);
      if (index == array.size()) {
        array.add(json);
      } else {
        array.set(index, json);
      }
    } else {
      ((ObjectNode) parent).set(last, json);
    }
    return root;
  }

  public static ObjectNode remove(ObjectNode root, String path) {
    String[] parts = path.split("\\.");
    JsonNode parent = parentOf(root, parts, false);
    String last = parts[parts.length - 1];
    if (parent instanceof ArrayNode array) {
      array.remove(Integer.parseInt(last));
    } else if (parent instanceof ObjectNode object) {
      object.remove(last);
    }
    return root;
  }

  private static JsonNode parentOf(ObjectNode root, String[] parts, boolean create) {
    JsonNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = node.isArray() ? node.get(Integer.parseInt(parts[i])) : node.get(parts[i]);
      if (next == null || next.isNull()) {
        if (!create) {
          return null;
        }
        next = ((ObjectNode) node).putObject(parts[i]);
      }
      node = next;
    }
    return node;
  }
}
