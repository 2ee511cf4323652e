package dev.maas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One numbered revision: the part of the spec that shapes a runtime pod, and its outcome. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RevisionStatus(
    @JsonPropertyDescription("Revision number, counting up from 1.") Long number,
    @JsonPropertyDescription(
            "Hash of model, compression, runtime and gpu settings that identifies the revision.")
        String hash,
    @JsonPropertyDescription("The source artifact of this revision.") String modelUri,
    @JsonPropertyDescription(
            "What the runtime pods load: the source URI or the prepared package's location.")
        String artifact,
    @JsonPropertyDescription(
            "Pending, Preparing, Prepared, RollingOut, Serving, Superseded or Failed.")
        RevisionPhase phase,
    @JsonPropertyDescription("Why the revision is in its phase, when there is more to say.")
        String message,
    @JsonPropertyDescription("Result of the compression Job, when the revision asked for one.")
        CompressionResult compression) {}
