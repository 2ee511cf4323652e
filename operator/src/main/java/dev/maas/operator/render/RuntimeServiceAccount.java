package dev.maas.operator.render;

import dev.maas.operator.resolve.ResolvedModelDeployment;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runtime pods' own service account, made only when callers may present Kubernetes tokens
 * (every other runtime pod stays tokenless): the runtime needs a token to ask the API server about
 * its callers' tokens, and nothing else. TokenReviews and SubjectAccessReviews are cluster-scoped,
 * so no Role in the namespace can grant them: one ClusterRoleBinding per operator installation
 * binds every such account to {@code system:auth-delegator} (create on both reviews, nothing else),
 * its subjects computed from all ModelDeployments at once, so a deleted ModelDeployment's account
 * leaves it at the next reconcile without a finalizer on every ModelDeployment.
 */
public final class RuntimeServiceAccount {
  public static final String SUFFIX = "-runtime";
  public static final String AUTH_DELEGATOR = "system:auth-delegator";
  static final String BINDING_PREFIX = "maas-runtime-token-reviewers-";

  private RuntimeServiceAccount() {}

  public static String name(String modelDeployment) {
    return modelDeployment + SUFFIX;
  }

  /** Empty unless spec.access.authentication.kubernetes is set. */
  public static Optional<ServiceAccount> build(ResolvedModelDeployment md) {
    if (!md.access().kubernetesTokens()) {
      return Optional.empty();
    }
    return Optional.of(
        new ServiceAccountBuilder()
            .withMetadata(Owners.metadata(md.owner(), name(md.name()), Labels.common(md.name())))
            // Only the pods that ask for it (the runtime's) get a token.
            .withAutomountServiceAccountToken(false)
            .build());
  }

  /** The binding's name: one per operator installation, named by the operator's namespace. */
  public static String bindingName(String operatorNamespace) {
    return BINDING_PREFIX + operatorNamespace;
  }

  /** The accounts (namespace to ModelDeployment names) that review tokens, bound in one object. */
  public static ClusterRoleBinding binding(
      String operatorNamespace, Map<String, ? extends Collection<String>> modelDeployments) {
    List<Subject> subjects =
        modelDeployments.entrySet().stream()
            .flatMap(
                e ->
                    e.getValue().stream()
                        .map(
                            md ->
                                new SubjectBuilder()
                                    .withKind("ServiceAccount")
                                    .withNamespace(e.getKey())
                                    .withName(name(md))
                                    .build()))
            .sorted(Comparator.comparing(Subject::getNamespace).thenComparing(Subject::getName))
            .toList();
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(bindingName(operatorNamespace))
        .withLabels(Map.of("app.kubernetes.io/managed-by", "maas-operator"))
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(AUTH_DELEGATOR)
        .endRoleRef()
        .withSubjects(subjects)
        .build();
  }
}
