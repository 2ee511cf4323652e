package dev.maas.operator.reconciler;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.plan.FieldManager;
import dev.maas.operator.render.RevisionModel;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.History;
import dev.maas.operator.revision.Revision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/**
 * Reads a ModelDeployment's history from the informer's cache of its ControllerRevisions and writes
 * revisions back with server-side apply. Every write is handed to the informer's cache at once, so
 * the next reconcile reads what was written even before the watch delivers it (and so does not
 * decide, and write, the same thing twice).
 */
final class RevisionStore {
  private final KubernetesClient client;
  private final InformerEventSource<ControllerRevision, ModelDeployment> informer;

  RevisionStore(
      KubernetesClient client, InformerEventSource<ControllerRevision, ModelDeployment> informer) {
    this.client = client;
    this.informer = informer;
  }

  History load(Context<ModelDeployment> context) {
    return new History(
        context.getSecondaryResources(ControllerRevision.class).stream()
            .map(RevisionModel::read)
            .flatMap(Optional::stream)
            .toList());
  }

  void save(ModelDeployment md, ResolvedModelDeployment.Owner owner, Revision revision) {
    ControllerRevision desired = RevisionModel.build(owner, revision);
    ResourceID primary = ResourceID.fromResource(md);
    Optional<ControllerRevision> previous =
        informer.get(
            new ResourceID(desired.getMetadata().getName(), md.getMetadata().getNamespace()));
    ControllerRevision applied =
        client.resource(desired).fieldManager(FieldManager.NAME).forceConflicts().serverSideApply();
    if (previous.isPresent()) {
      informer.handleRecentResourceUpdate(primary, applied, previous.get());
    } else {
      informer.handleRecentResourceCreate(primary, applied);
    }
  }

  void delete(ModelDeployment md, Revision revision) {
    client
        .apps()
        .controllerRevisions()
        .inNamespace(md.getMetadata().getNamespace())
        .withName(RevisionModel.name(md.getMetadata().getName(), revision.hash()))
        .delete();
  }
}
