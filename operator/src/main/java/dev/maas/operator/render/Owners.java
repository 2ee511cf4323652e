package dev.maas.operator.render;

import dev.maas.operator.resolve.ResolvedModelDeployment;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;

/** Metadata of an owned object: name, namespace, labels and the owner reference that GCs it. */
final class Owners {
  private Owners() {}

  static ObjectMeta metadata(
      ResolvedModelDeployment.Owner owner, String name, Map<String, String> labels) {
    ObjectMetaBuilder meta =
        new ObjectMetaBuilder().withName(name).withNamespace(owner.namespace()).withLabels(labels);
    // Offline rendering has no uid; in a cluster every owned object is garbage-collected with
    // its ModelDeployment.
    if (owner.uid() != null) {
      meta.withOwnerReferences(
          new OwnerReferenceBuilder()
              .withApiVersion(owner.apiVersion())
              .withKind(owner.kind())
              .withName(owner.name())
              .withUid(owner.uid())
              .withController(true)
              .withBlockOwnerDeletion(true)
              .build());
    }
    return meta.build();
  }
}
