package dev.maas.contract;

/**
 * What a Kubernetes caller needs to call a model: RBAC permission to {@code get} the subresource
 * {@code infer} of the ModelDeployment ({@code modeldeployments/infer} in group {@code maas.dev}).
 * The runtime asks for exactly this in its SubjectAccessReview; a Role grants it as
 *
 * <pre>
 * rules:
 *   - apiGroups: [maas.dev]
 *     resources: [modeldeployments/infer]
 *     resourceNames: [digits]
 *     verbs: [get]
 * </pre>
 */
public final class InferPermission {
  public static final String GROUP = "maas.dev";
  public static final String RESOURCE = "modeldeployments";
  public static final String SUBRESOURCE = "infer";
  public static final String VERB = "get";

  private InferPermission() {}
}
