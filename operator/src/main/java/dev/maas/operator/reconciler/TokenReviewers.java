package dev.maas.operator.reconciler;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.AccessSpec;
import dev.maas.operator.api.spec.AuthenticationSpec;
import dev.maas.operator.plan.FieldManager;
import dev.maas.operator.render.RuntimeServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the one ClusterRoleBinding that lets runtime service accounts review tokens (see {@link
 * RuntimeServiceAccount}) in step with every ModelDeployment that asks for Kubernetes tokens, as
 * the operator's cache holds them: written only when its subjects change (the last written are
 * remembered, read once after a start), deleted when none is left.
 */
final class TokenReviewers {
  private static final Logger LOG = LoggerFactory.getLogger(TokenReviewers.class);

  private final KubernetesClient client;
  private final String operatorNamespace;
  private List<Subject> written;
  private boolean warned;

  TokenReviewers(KubernetesClient client, String operatorNamespace) {
    this.client = client;
    this.operatorNamespace = operatorNamespace;
  }

  /** The ModelDeployments (namespace to names) whose callers present Kubernetes tokens. */
  static Map<String, TreeSet<String>> reviewing(Collection<ModelDeployment> all) {
    Map<String, TreeSet<String>> byNamespace = new TreeMap<>();
    for (ModelDeployment md : all) {
      boolean tokens =
          md.getMetadata().getDeletionTimestamp() == null
              && md.getSpec() != null
              && Optional.ofNullable(md.getSpec().access())
                  .map(AccessSpec::authentication)
                  .map(AuthenticationSpec::kubernetes)
                  .isPresent();
      if (tokens) {
        byNamespace
            .computeIfAbsent(md.getMetadata().getNamespace(), ns -> new TreeSet<>())
            .add(md.getMetadata().getName());
      }
    }
    return byNamespace;
  }

  /**
   * After a reconcile of {@code md}: the binding is written when {@code md} asks for tokens or the
   * binding may name someone; otherwise there is nothing to look at.
   */
  synchronized void reconciled(
      ModelDeployment md, java.util.function.Supplier<Collection<ModelDeployment>> all) {
    boolean asks = !reviewing(List.of(md)).isEmpty();
    if (!asks && written != null && written.isEmpty()) {
      return;
    }
    sync(all.get());
  }

  synchronized void sync(Collection<ModelDeployment> all) {
    ClusterRoleBinding desired = RuntimeServiceAccount.binding(operatorNamespace, reviewing(all));
    String name = desired.getMetadata().getName();
    try {
      if (written == null) {
        ClusterRoleBinding existing = client.rbac().clusterRoleBindings().withName(name).get();
        written = existing == null ? List.of() : existing.getSubjects();
      }
      if (desired.getSubjects().equals(written)) {
        return;
      }
      if (desired.getSubjects().isEmpty()) {
        client.rbac().clusterRoleBindings().withName(name).delete();
      } else {
        client.resource(desired).fieldManager(FieldManager.NAME).forceConflicts().serverSideApply();
      }
      written = desired.getSubjects();
      LOG.info("ClusterRoleBinding {}: {} runtime service account(s)", name, written.size());
    } catch (KubernetesClientException e) {
      written = null;
      if (!warned) {
        warned = true;
        LOG.warn(
            "cannot write ClusterRoleBinding {} (runtime pods cannot review Kubernetes tokens"
                + " until it exists; the chart grants this): {}",
            name,
            e.getMessage());
      }
    }
  }
}
