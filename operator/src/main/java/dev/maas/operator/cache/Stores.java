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
  private Stores() {}

  /** ModelDeployments: everything but managedFields. */
  public static final class ModelDeployments extends TrimmedStore<ModelDeployment> {
    public ModelDeployments() {
      super(Trim::managedFields);
    }
  }

  /** Revision records: everything but managedFields (their data is the revision). */
  public static final class Revisions extends TrimmedStore<ControllerRevision> {
    public Revisions() {
      super(Trim::managedFields);
    }
  }

  /** Pods: what the observer reads (see {@link Trim#pod}). */
  public static final class Pods extends TrimmedStore<Pod> {
    public Pods() {
      super(Trim::pod);
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
      super(object -> Trim.managedFieldsExcept((HasMetadata) object, FieldManager.NAME));
    }
  }
}
