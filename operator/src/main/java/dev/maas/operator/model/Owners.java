package dev.maas.operator.model;

import dev.maas.operator.api.ModelDeployment;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;

/** Metadata of an owned object: name, namespace, labels and the owner reference that GCs it. */
final class Owners {
  private Owners() {}

  static ObjectMeta metadata(ModelDeployment md, Map<String, String> labels) {
    ObjectMetaBuilder meta =
        new ObjectMetaBuilder()
            .withName(md.getMetadata().getName())
            .withNamespace(md.getMetadata().getNamespace())
            .withLabels(labels);
    // Offline rendering has no uid; in a cluster every owned object is garbage-collected with
    // its ModelDeployment.
    if (md.getMetadata().getUid() != null) {
      meta.withOwnerReferences(
          new OwnerReferenceBuilder()
              .withApiVersion(md.getApiVersion())
              .withKind(md.getKind())
              .withName(md.getMetadata().getName())
              .withUid(md.getMetadata().getUid())
              .withController(true)
              .withBlockOwnerDeletion(true)
              .build());
    }
    return meta.build();
  }
}
