package dev.maas.operator.api;

/** Names shared by the CRD, the operator and the objects it owns; see the design's "Names". */
public final class CrdConstants {
  public static final String GROUP = "maas.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "ModelDeployment";
  public static final String PLURAL = "modeldeployments";

  /** Label on every owned object: the name of the ModelDeployment it serves. */
  public static final String LABEL_MODEL_DEPLOYMENT = GROUP + "/model-deployment";

  /** Label on pods and ControllerRevisions: the revision number they belong to. */
  public static final String LABEL_REVISION = GROUP + "/revision";

  /** Label on pods and ControllerRevisions: the hash of the revision's template. */
  public static final String LABEL_REVISION_HASH = GROUP + "/revision-hash";

  /** Label on the candidate's Deployment and pods during a canary. */
  public static final String LABEL_ROLE = GROUP + "/role";

  public static final String ROLE_CANARY = "canary";

  /** Label on the prepare Job and its pod: the key of the artifact it prepares. */
  public static final String LABEL_PREPARE_KEY = GROUP + "/prepare-key";

  private CrdConstants() {}
}
