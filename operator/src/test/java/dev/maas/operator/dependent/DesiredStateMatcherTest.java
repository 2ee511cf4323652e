package dev.maas.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

class DesiredStateMatcherTest {
  private static Deployment deployment(String cpu, int replicas, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("d")
        .addToLabels("app", "x")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withName("runtime")
        .withImage(image)
        .withNewResources()
        .addToRequests("cpu", new Quantity(cpu))
        .addToLimits("memory", new Quantity("1Gi"))
        .endResources()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  @Test
  void whatOthersAddIsIgnored() {
    Deployment desired = deployment("2", 1, "img:1");
    Deployment actual = deployment("2", 1, "img:1");
    actual.getMetadata().getLabels().put("added-by", "someone");
    actual
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .setImagePullPolicy("IfNotPresent");
    actual.getSpec().setRevisionHistoryLimit(10);
    assertThat(DesiredStateMatcher.matches(desired, actual)).isTrue();
  }

  @Test
  void anyDesiredValueThatDiffersIsAChange() {
    assertThat(
            DesiredStateMatcher.matches(deployment("2", 2, "img:1"), deployment("2", 1, "img:1")))
        .isFalse();
    assertThat(
            DesiredStateMatcher.matches(deployment("2", 1, "img:2"), deployment("2", 1, "img:1")))
        .isFalse();
    assertThat(
            DesiredStateMatcher.matches(deployment("4", 1, "img:1"), deployment("2", 1, "img:1")))
        .isFalse();
    Deployment twoContainers = deployment("2", 1, "img:1");
    twoContainers
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .add(twoContainers.getSpec().getTemplate().getSpec().getContainers().get(0));
    assertThat(DesiredStateMatcher.matches(deployment("2", 1, "img:1"), twoContainers)).isFalse();
  }

  @Test
  void quantitiesTheApiServerCanonicalizesStillMatch() {
    assertThat(
            DesiredStateMatcher.matches(
                deployment("0.5", 1, "img:1"), deployment("500m", 1, "img:1")))
        .isTrue();
    assertThat(
            DesiredStateMatcher.matches(
                deployment("1000m", 1, "img:1"), deployment("1", 1, "img:1")))
        .isTrue();
  }
}
