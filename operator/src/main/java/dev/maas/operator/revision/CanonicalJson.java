package dev.maas.operator.revision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * JSON with object keys sorted and nulls dropped, so that a value hashes the same whatever order
 * its classes declare their fields in: a new operator version must not see every running template
 * as changed and roll every model out again.
 */
public final class CanonicalJson {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private CanonicalJson() {}

  public static JsonNode tree(Object value) {
    return canonical(SERIALIZATION.convertValue(value, JsonNode.class));
  }

  public static String of(Object value) {
    return tree(value).toString();
  }

  public static JsonNode parse(String json) {
    return SERIALIZATION.unmarshal(json, JsonNode.class);
  }

  public static <T> T read(JsonNode json, Class<T> type) {
    return SERIALIZATION.convertValue(json, type);
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(String::compareTo);
      ObjectNode sorted = JsonNodeFactory.instance.objectNode();
      for (String name : names) {
        JsonNode value = node.get(name);
        if (!value.isNull()) {
          sorted.set(name, canonical(value));
        }
      }
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        array.add(canonical(it.next()));
      }
      return array;
    }
    return node;
  }
}
