package dev.maas.operator.cache;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Replaces the empty maps of a cached Kubernetes object with the one shared empty map. Every
 * fabric8 model object carries an {@code additionalProperties} map, almost always empty, and every
 * leaf of a managedFields entry is an empty JSON object ({@code "f:name": {}}); as separate objects
 * they were a third of the operator's heap at thousands of ModelDeployments. Cached objects are
 * only read (java-operator-sdk's matcher, the observer, the revision store), never written to, so
 * an immutable empty map is safe where an empty one was.
 */
final class SharedEmptyMaps {
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
              if (t == String.class || Number.class.isAssignableFrom(t) || t == Boolean.class) {
                continue;
              }
              field.setAccessible(true);
              fields.add(field);
            }
          }
          return List.copyOf(fields);
        }
      };

  private SharedEmptyMaps() {}

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
        if (value instanceof Map<?, ?> inner && inner.isEmpty() && inner != Collections.EMPTY_MAP) {
          try {
            ((Map.Entry<Object, Object>) entry).setValue(Collections.emptyMap());
          } catch (UnsupportedOperationException immutable) {
            return; // a map built to stay as it is (not one Jackson read): left alone
          }
        } else {
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
        if (value instanceof Map<?, ?> map
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
