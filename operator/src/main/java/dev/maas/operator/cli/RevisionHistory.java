package dev.maas.operator.cli;

import dev.maas.operator.api.CrdConstants;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.render.RevisionModel;
import dev.maas.operator.revision.History;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** A ModelDeployment and its history, as the plugin's commands read them from the cluster. */
record RevisionHistory(ModelDeployment modelDeployment, History history) {
  /** The history, or one line on stderr saying the ModelDeployment is not there. */
  static Optional<RevisionHistory> find(KubernetesClient client, String namespace, String name) {
    Optional<RevisionHistory> found = read(client, namespace, name);
    if (found.isEmpty()) {
      System.err.println("kubectl-maas: modeldeployment " + namespace + "/" + name + " not found");
    }
    return found;
  }

  static Optional<RevisionHistory> read(KubernetesClient client, String namespace, String name) {
    ModelDeployment md =
        client.resources(ModelDeployment.class).inNamespace(namespace).withName(name).get();
    if (md == null) {
      return Optional.empty();
    }
    History history =
        new History(
            client
                .apps()
                .controllerRevisions()
                .inNamespace(namespace)
                .withLabel(CrdConstants.LABEL_MODEL_DEPLOYMENT, name)
                .list()
                .getItems()
                .stream()
                .filter(cr -> ownedBy(cr, md))
                .map(RevisionModel::read)
                .flatMap(Optional::stream)
                .toList());
    return Optional.of(new RevisionHistory(md, history));
  }

  private static boolean ownedBy(ControllerRevision cr, ModelDeployment md) {
    return cr.getMetadata().getOwnerReferences() != null
        && cr.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> o.getUid().equals(md.getMetadata().getUid()));
  }

  /** The revision number the spec asks for now, as the operator last reported it. */
  Optional<Long> desiredNumber() {
    return Optional.ofNullable(modelDeployment.getStatus()).map(s -> s.desiredRevision());
  }
}
