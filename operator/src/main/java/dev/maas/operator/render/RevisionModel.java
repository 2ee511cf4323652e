package dev.maas.operator.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas.operator.api.CrdConstants;
import dev.maas.operator.api.status.RevisionPhase;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.CanaryReport;
import dev.maas.operator.revision.CanonicalJson;
import dev.maas.operator.revision.PrepareOutcome;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.revision.RevisionSpec;
import dev.maas.operator.revision.RuntimeTemplate;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A revision as an apps/v1 ControllerRevision owned by the ModelDeployment, named {@code
 * <md>-<hash>}. {@code data} holds what never changes (the template, and the spec fields it came
 * from, which a manual rollback writes back); the API server keeps {@code data} immutable, so what
 * happens to the revision later (its phase, the prepare Job's report, when its rollout started and
 * when it last served) lives in annotations.
 */
public final class RevisionModel {
  static final String PHASE = CrdConstants.GROUP + "/phase";
  static final String REASON = CrdConstants.GROUP + "/reason";
  static final String PREPARE = CrdConstants.GROUP + "/prepare";
  static final String ROLLOUT_STARTED_AT = CrdConstants.GROUP + "/rollout-started-at";
  static final String SERVED_AT = CrdConstants.GROUP + "/served-at";
  static final String CANARY = CrdConstants.GROUP + "/canary";

  private RevisionModel() {}

  public static String name(String modelDeployment, String hash) {
    return modelDeployment + "-" + hash;
  }

  public static ControllerRevision build(ResolvedModelDeployment.Owner owner, Revision revision) {
    Map<String, String> labels = new LinkedHashMap<>(Labels.common(owner.name()));
    labels.put(CrdConstants.LABEL_REVISION, Long.toString(revision.number()));
    labels.put(CrdConstants.LABEL_REVISION_HASH, revision.hash());
    ObjectMeta meta = Owners.metadata(owner, name(owner.name(), revision.hash()), labels);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(PHASE, revision.phase().name());
    put(annotations, REASON, revision.reason());
    put(
        annotations,
        PREPARE,
        revision.prepare() == null ? null : CanonicalJson.of(revision.prepare()));
    put(annotations, ROLLOUT_STARTED_AT, revision.rolloutStartedAt());
    put(annotations, SERVED_AT, revision.servedAt());
    put(
        annotations,
        CANARY,
        revision.canary() == null ? null : CanonicalJson.of(revision.canary()));
    meta.setAnnotations(annotations);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("template", CanonicalJson.tree(revision.template()));
    data.put("spec", CanonicalJson.tree(revision.spec()));
    return new ControllerRevisionBuilder()
        .withMetadata(meta)
        .withData(data)
        .withRevision(revision.number())
        .build();
  }

  /** The revision a ControllerRevision records; empty when it is not one of ours. */
  public static Optional<Revision> read(ControllerRevision cr) {
    Map<String, String> labels = Optional.ofNullable(cr.getMetadata().getLabels()).orElse(Map.of());
    Map<String, String> annotations =
        Optional.ofNullable(cr.getMetadata().getAnnotations()).orElse(Map.of());
    String hash = labels.get(CrdConstants.LABEL_REVISION_HASH);
    if (hash == null || cr.getRevision() == null || cr.getData() == null) {
      return Optional.empty();
    }
    // As the API server sends it, a tree; as the operator's cache keeps it, its JSON text.
    JsonNode data =
        cr.getData() instanceof String json
            ? CanonicalJson.parse(json)
            : CanonicalJson.tree(cr.getData());
    return Optional.of(
        new Revision(
            cr.getRevision(),
            hash,
            CanonicalJson.read(data.get("template"), RuntimeTemplate.class),
            CanonicalJson.read(data.get("spec"), RevisionSpec.class),
            RevisionPhase.valueOf(annotations.getOrDefault(PHASE, RevisionPhase.Pending.name())),
            annotations.get(REASON),
            Optional.ofNullable(annotations.get(PREPARE))
                .map(json -> CanonicalJson.read(CanonicalJson.parse(json), PrepareOutcome.class))
                .orElse(null),
            Optional.ofNullable(annotations.get(ROLLOUT_STARTED_AT))
                .map(Instant::parse)
                .orElse(null),
            Optional.ofNullable(annotations.get(SERVED_AT)).map(Instant::parse).orElse(null),
            Optional.ofNullable(annotations.get(CANARY))
                .map(json -> CanonicalJson.read(CanonicalJson.parse(json), CanaryReport.class))
                .orElse(null)));
  }

  private static void put(Map<String, String> annotations, String key, Object value) {
    if (value != null) {
      annotations.put(key, value.toString());
    }
  }
}
