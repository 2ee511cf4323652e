package dev.maas.operator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.render.RevisionModel;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.testing.TestRevisions;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each informer store keeps: what the operator reads, and nothing it does not. */
class StoresTest {

  private static FieldsV1 fields(String container) {
    Map<String, Object> leaf = new LinkedHashMap<>();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("f:replicas", new LinkedHashMap<>());
    Map<String, Object> containers = new LinkedHashMap<>();
    containers.put("k:{\"name\":\"" + container + "\"}", leaf);
    Map<String, Object> template = new LinkedHashMap<>();
    template.put("f:spec", containers);
    spec.put("f:template", template);
    FieldsV1 fields = new FieldsV1();
    fields.setAdditionalProperty("f:spec", spec);
    return fields;
  }

  @Test
  void anAppliedObjectKeepsOnlyTheOperatorsManagedFieldsWithTheSameContent() {
    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("digits")
            .withNamespace("ns")
            .addToManagedFields(
                new ManagedFieldsEntryBuilder()
                    .withManager("maas-operator")
                    .withOperation("Apply")
                    .withFieldsV1(fields("runtime"))
                    .build())
            .addToManagedFields(
                new ManagedFieldsEntryBuilder()
                    .withManager("kube-controller-manager")
                    .withOperation("Update")
                    .withSubresource("status")
                    .withFieldsV1(fields("x"))
                    .build())
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .endSpec()
            .build();
    String ownBefore = Serialization.asJson(deployment.getMetadata().getManagedFields().get(0));
    String specBefore = Serialization.asJson(deployment.getSpec());

    Stores.Owned store = new Stores.Owned();
    store.put("ns/digits", deployment);
    Deployment cached = (Deployment) store.get("ns/digits");

    assertThat(cached.getMetadata().getManagedFields())
        .singleElement()
        .satisfies(e -> assertThat(e.getManager()).isEqualTo("maas-operator"));
    assertThat(Serialization.asJson(cached.getMetadata().getManagedFields().get(0)))
        .as("what the server-side-apply matcher reads is unchanged")
        .isEqualTo(ownBefore);
    assertThat(Serialization.asJson(cached.getSpec())).isEqualTo(specBefore);
    assertThat(cached.getSpec().getAdditionalProperties()).isSameAs(Collections.emptyMap());
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        (Map<String, Object>)
            cached
                .getMetadata()
                .getManagedFields()
                .get(0)
                .getFieldsV1()
                .getAdditionalProperties()
                .get("f:spec");
    assertThat(spec.get("f:replicas"))
        .as("a leaf is the shared empty map")
        .isSameAs(Collections.emptyMap());
  }

  @Test
  void aRevisionIsCachedAsTextAndReadBackTheSame() {
    var digits = TestRevisions.digits();
    Revision revision = Revision.first(3, "4b9b4317cc", digits.template(), digits.revisionSpec());
    ControllerRevision record = RevisionModel.build(digits.owner(), revision);
    record.getMetadata().setNamespace("ns");
    Stores.Revisions store = new Stores.Revisions();
    store.put("ns/x", Serialization.clone(record));
    ControllerRevision cached = store.get("ns/x");
    assertThat(cached.getData()).isInstanceOf(String.class);
    assertThat(RevisionModel.read(cached)).isEqualTo(RevisionModel.read(record));
  }

  @Test
  void aPodKeepsWhatTheObserverReads() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .addToLabels("maas.dev/revision-hash", "h")
            .addToAnnotations("big", "x".repeat(1000))
            .endMetadata()
            .withNewSpec()
            .withNodeName("node-1")
            .addNewContainer()
            .withName("runtime")
            .withImage("img")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .addNewContainerStatus()
            .withName("runtime")
            .withRestartCount(3)
            .withImage("img")
            .endContainerStatus()
            .endStatus()
            .build();
    Stores.Pods store = new Stores.Pods();
    store.put("ns/p", pod);
    Pod cached = store.get("ns/p");
    assertThat(cached.getMetadata().getLabels()).containsEntry("maas.dev/revision-hash", "h");
    assertThat(cached.getMetadata().getAnnotations())
        .as("empty, not absent: java-operator-sdk reads them on every event")
        .isNotNull()
        .isEmpty();
    assertThat(cached.getSpec().getNodeName()).isEqualTo("node-1");
    assertThat(cached.getSpec().getContainers()).isEmpty();
    assertThat(cached.getStatus().getConditions()).hasSize(1);
    assertThat(cached.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(3);
  }
}
