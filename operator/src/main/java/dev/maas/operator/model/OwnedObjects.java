package dev.maas.operator.model;

import dev.maas.operator.revision.PrepareOutcome;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.revision.TemplateHasher;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the operator applies for a new ModelDeployment, in the order it applies it: revision
 * 1's ControllerRevision, then (with compression) the storage claim and the prepare Job, the
 * Service, and the Deployment at revision 1 with its HPA. What {@code render} prints.
 */
public final class OwnedObjects {
  /** Stands for the package path and digest that only the prepare Job's report will tell. */
  public static final String REPORTED_PACKAGE = "packages/KEY-FROM-THE-PREPARE-JOB-REPORT.maas.zip";

  private OwnedObjects() {}

  public static List<HasMetadata> firstRevision(ResolvedModelDeployment md) {
    Revision revision =
        Revision.first(
            1, TemplateHasher.SHA256.hash(md.template(), 0), md.template(), md.revisionSpec());
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(RevisionModel.build(md.owner(), revision));
    StorageClaimModel.build(md).ifPresent(objects::add);
    if (md.template().needsPreparation()) {
      objects.add(PrepareJobModel.build(md, revision));
      revision =
          revision.prepared(
              new PrepareOutcome(
                  PrepareOutcome.OK,
                  PrepareJobModel.name(md.name(), md.template()),
                  0,
                  null,
                  REPORTED_PACKAGE,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null));
    }
    objects.add(ServiceModel.build(md));
    objects.add(
        DeploymentModel.build(
            md, revision, md.scale().autoscaled() ? null : md.scale().replicas()));
    AutoscalerModel.build(md).ifPresent(objects::add);
    return objects;
  }
}
