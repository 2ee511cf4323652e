package dev.maas.operator.cache;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.plan.FieldManager;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;

/**
 * The stores, one per kind of cached object, as classes with no-argument constructors (the form
 * java-operator-sdk's {@code @Informer(itemStore = ...)} takes).
 */
public final class Stores {
  /**
   * Informers list in pages of this many objects: each page is trimmed as it is stored, so a
   * restart with thousands of ModelDeployments never holds every untrimmed pod (or Deployment) of a
   * single list response at once. Listing 5,000 pods in one response ran a 256 MB heap out.
   */
  public static final long LIST_PAGE = 250;

  private Stores() {}

  /** ModelDeployments: everything but managedFields. */
  public static final class ModelDeployments extends TrimmedStore<ModelDeployment> {
    public ModelDeployments() {
      super(md -> Compaction.share(Trim.managedFields(md)));
    }
  }

  /**
   * Revision records: everything but managedFields, their data (the revision's template and spec)
   * kept as its JSON text (see {@link Trim#revisionData}).
   */
  public static final class Revisions extends TrimmedStore<ControllerRevision> {
    public Revisions() {
      super(cr -> Compaction.share(Trim.revisionData(Trim.managedFields(cr))));
    }
  }

  /** Pods: what the observer reads (see {@link Trim#pod}). */
  public static final class Pods extends TrimmedStore<Pod> {
    public Pods() {
      super(pod -> Compaction.share(Trim.pod(pod)));
    }
  }

  /**
   * Owned objects the operator applies (Deployment, Service, HPA, claim, Job): whole, but for other
   * managers' managedFields.
   */
  @SuppressWarnings("rawtypes")
  public static final class Owned extends TrimmedStore {
    @SuppressWarnings("unchecked")
    public Owned() {
      super(
          object ->
              Compaction.share(Trim.managedFieldsExcept((HasMetadata) object, FieldManager.NAME)));
    }
  }
}
