package dev.maas.operator.canary;

import dev.maas.operator.api.CrdConstants;
import java.util.Optional;

/**
 * A person's word on a canary, from {@code kubectl maas promote|abort}: an annotation on the
 * ModelDeployment (metadata, not spec, so the operator still never writes the spec), {@code
 * <verb>@<id>}; the operator acts on each value once and records it in status.rollout.
 */
public record RolloutCommand(Verb verb, String value) {
  public static final String ANNOTATION = CrdConstants.GROUP + "/rollout-command";

  public enum Verb {
    /** End the current step (or the shadow step) now. */
    promote,
    /** Skip every remaining step: promote now. */
    promoteFull,
    abort
  }

  /** The command an annotation value gives; empty for none or one that is not understood. */
  public static Optional<RolloutCommand> parse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String verb = value.contains("@") ? value.substring(0, value.indexOf('@')) : value;
    return switch (verb.strip()) {
      case "promote" -> Optional.of(new RolloutCommand(Verb.promote, value));
      case "promote-full" -> Optional.of(new RolloutCommand(Verb.promoteFull, value));
      case "abort" -> Optional.of(new RolloutCommand(Verb.abort, value));
      default -> Optional.empty();
    };
  }

  /** The annotation value for a verb, unique per call. */
  public static String value(Verb verb, String id) {
    String word = verb == Verb.promoteFull ? "promote-full" : verb.name();
    return word + "@" + id;
  }
}
