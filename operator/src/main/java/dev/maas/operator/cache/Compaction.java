package dev.maas.operator.cache;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a cached Kubernetes object share what thousands of its kind repeat. Every fabric8 model
 * object carries an {@code additionalProperties} map, almost always empty, and every leaf of a
 * managedFields entry is an empty JSON object ({@code "f:name": {}}): they become the one shared
 * empty map. Most short texts (an image, env names and values, label values, probe paths, policy
 * names) are the same in every ModelDeployment's objects: they become one instance each ({@link
 * String#intern}); those unique to an object (UIDs, resource versions, times, addresses) are left
 * alone. As separate objects these were over half the operator's heap at thousands of
 * ModelDeployments. Cached objects are only read (java-operator-sdk's matcher, the observer, the
 * revision store), never written to, so an immutable empty map is safe where an empty one was.
 */
final class Compaction {
  /** Texts longer than this are rarely repeated (and interning them would cost more). */
  private static final int MAX_SHARED_TEXT = 256;

  /** Fields whose values are unique to one object: not worth a place in the string table. */
  private static final Set<String> UNIQUE =
      Set.of(
          "uid",
          "resourceVersion",
          "creationTimestamp",
          "deletionTimestamp",
          "time",
          "lastTransitionTime",
          "lastUpdateTime",
          "lastProbeTime",
          "startTime",
          "startedAt",
          "finishedAt",
          "completionTime",
          "podIP",
          "hostIP",
          "ip",
          "clusterIP",
          "containerID",
          "imageID",
          "generateName",
          "message");

  private static final int MAX_DEPTH = 64;
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  private static final ClassValue<List<Field>> FIELDS =
      new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
          List<Field> fields = new ArrayList<>();
          for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
              if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                continue;
              }
              Class<?> t = field.getType();
              if (Number.class.isAssignableFrom(t) || t == Boolean.class) {
                continue;
              }
              if (t == String.class && UNIQUE.contains(field.getName())) {
                continue;
              }
              field.setAccessible(true);
              fields.add(field);
            }
          }
          return List.copyOf(fields);
        }
      };

  private Compaction() {}

  static <T> T share(T root) {
    visit(root, 0);
    return root;
  }

  @SuppressWarnings("unchecked")
  private static void visit(Object node, int depth) {
    if (node == null || depth > MAX_DEPTH) {
      return;
    }
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        Object value = entry.getValue();
        Object shared = null;
        if (value instanceof Map<?, ?> inner && inner.isEmpty() && inner != Collections.EMPTY_MAP) {
          shared = Collections.emptyMap();
        } else if (value instanceof String text && text.length() <= MAX_SHARED_TEXT) {
          shared = text.intern();
        }
        if (shared != null && shared != value) {
          try {
            ((Map.Entry<Object, Object>) entry).setValue(shared);
          } catch (UnsupportedOperationException immutable) {
            return; // a map built to stay as it is (not one Jackson read): left alone
          }
        } else if (shared == null) {
          visit(value, depth + 1);
        }
      }
      return;
    }
    if (node instanceof Collection<?> items) {
      for (Object item : items) {
        visit(item, depth + 1);
      }
      return;
    }
    if (!node.getClass().getName().startsWith(MODEL_PACKAGE)) {
      return;
    }
    try {
      for (Field field : FIELDS.get(node.getClass())) {
        Object value = field.get(node);
        if (value instanceof String text) {
          if (text.length() <= MAX_SHARED_TEXT) {
            field.set(node, text.intern());
          }
        } else if (value instanceof Map<?, ?> map
            && map.isEmpty()
            && map != Collections.EMPTY_MAP
            && field.getName().equals("additionalProperties")) {
          field.set(node, Collections.emptyMap());
        } else {
          visit(value, depth + 1);
        }
      }
    } catch (IllegalAccessException e) {
      // Left as it is: a store keeps an object whole rather than fail.
    }
  }
}
