package dev.maas.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.AccessSpec;
import dev.maas.operator.api.spec.AuthenticationSpec;
import dev.maas.operator.api.spec.KubernetesAuthenticationSpec;
import dev.maas.operator.api.spec.SecretNameSpec;
import dev.maas.operator.testing.TestModelDeployments;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whose runtime accounts the token reviewers' binding names. */
class TokenReviewersTest {
  private static ModelDeployment md(String ns, String name, AuthenticationSpec authentication) {
    ModelDeployment md =
        TestModelDeployments.modelDeployment(
            name,
            TestModelDeployments.digits().getSpec().toBuilder()
                .access(new AccessSpec(authentication, null, null))
                .build());
    md.getMetadata().setNamespace(ns);
    return md;
  }

  @Test
  void onlyModelDeploymentsThatTakeTokensAndAreNotBeingDeleted() {
    ModelDeployment deleting =
        md("web", "old", new AuthenticationSpec(null, new KubernetesAuthenticationSpec()));
    deleting.getMetadata().setDeletionTimestamp("2026-12-02T07:00:00Z");
    var reviewing =
        TokenReviewers.reviewing(
            List.of(
                md(
                    "web",
                    "digits",
                    new AuthenticationSpec(null, new KubernetesAuthenticationSpec())),
                md(
                    "web",
                    "both",
                    new AuthenticationSpec(
                        new SecretNameSpec("keys"), new KubernetesAuthenticationSpec())),
                md("web", "keys-only", new AuthenticationSpec(new SecretNameSpec("keys"))),
                md("batch", "open", null),
                deleting));
    assertThat(reviewing).containsOnlyKeys("web");
    assertThat(reviewing.get("web")).containsExactly("both", "digits");
  }
}
