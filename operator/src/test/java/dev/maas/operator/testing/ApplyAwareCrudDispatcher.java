package dev.maas.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fabric8 CRUD mock server, taught server-side apply, which it does not support (fabric8 issues
 * 5337 and 5360): an apply creates the object when it is missing and otherwise merges the applied
 * fields into it (a JSON merge patch: the same result as an apply by the only field manager there
 * is). It also records every write, so tests can count them.
 */
public final class ApplyAwareCrudDispatcher extends KubernetesCrudDispatcher {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<String> writes = new CopyOnWriteArrayList<>();

  public ApplyAwareCrudDispatcher(List<CustomResourceDefinitionContext> crds) {
    super(crds);
  }

  /** "METHOD path" of every write request (POST, PUT, PATCH, DELETE), in order. */
  public List<String> writes() {
    return List.copyOf(writes);
  }

  public void clearWrites() {
    writes.clear();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String method = request.getMethod();
    if (!method.equals("GET")) {
      writes.add(method + " " + request.getPath());
    }
    String contentType = request.getHeader("Content-Type");
    if (method.equals("PATCH") && contentType != null && contentType.contains("apply-patch")) {
      return apply(request);
    }
    return super.dispatch(request);
  }

  private MockResponse apply(RecordedRequest request) {
    String path = request.getPath().split("\\?")[0];
    String json = toJson(request.getUtf8Body());
    boolean status = path.endsWith("/status");
    String objectPath = status ? path.substring(0, path.length() - "/status".length()) : path;
    if (handleGet(objectPath).code() == 404) {
      if (status) {
        return new MockResponse().setResponseCode(404);
      }
      String collection = objectPath.substring(0, objectPath.lastIndexOf('/'));
      return handleCreate(request(HttpMethod.POST, collection, "application/json", json));
    }
    // RFC 7386 merge (lists replaced whole, as an apply of atomic lists does), then a PUT: the
    // mock's own merge patch appends to lists, which would pile up status conditions.
    try {
      JsonNode current = JSON.readTree(handleGet(objectPath).getBody().readUtf8());
      JsonNode applied = JSON.readTree(json);
      JsonNode merged = status ? mergeStatus(current, applied) : merge(current.deepCopy(), applied);
      return handleUpdate(
          request(HttpMethod.PUT, path, "application/json", JSON.writeValueAsString(merged)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode mergeStatus(JsonNode current, JsonNode applied) {
    ObjectNode result = current.deepCopy();
    if (applied.has("status")) {
      result.set("status", applied.get("status"));
    }
    return result;
  }

  /** RFC 7386: objects merge recursively, null removes, anything else replaces. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject() || !target.isObject()) {
      return patch;
    }
    ObjectNode result = (ObjectNode) target;
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        JsonNode existing = result.get(field.getKey());
        result.set(
            field.getKey(),
            existing == null ? field.getValue() : merge(existing, field.getValue()));
      }
    }
    return result;
  }

  private static RecordedRequest request(
      HttpMethod method, String path, String contentType, String body) {
    return new RecordedRequest(
        "HTTP/1.1",
        method,
        path,
        Headers.builder().add("Content-Type", contentType).build(),
        new Buffer().writeUtf8(body));
  }

  private static String toJson(String yamlOrJson) {
    try {
      JsonNode node = YAML.readTree(yamlOrJson);
      return new ObjectMapper().writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
