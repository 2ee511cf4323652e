package dev.maas.operator.revision;

/**
 * Names a template. A collision count takes part in the hash so that two different templates whose
 * hashes collide still get different names, as the StatefulSet controller does.
 */
@FunctionalInterface
public interface TemplateHasher {
  /** 10 hex digits (40 bits) of SHA-256 over the template's canonical JSON. */
  TemplateHasher SHA256 =
      (template, collisionCount) ->
          CanonicalJson.sha256(
                  CanonicalJson.of(template) + (collisionCount == 0 ? "" : "#" + collisionCount))
              .substring(0, 10);

  String hash(RuntimeTemplate template, int collisionCount);
}
