package dev.maas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The compression Job's report, as read from its termination message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompressionResult(
    @JsonPropertyDescription("Content-addressed package key.") String key,
    @JsonPropertyDescription("Size of the source artifact in bytes.") Long originalBytes,
    @JsonPropertyDescription("Size of the compressed package in bytes.") Long packageBytes,
    @JsonPropertyDescription("originalBytes / packageBytes, as a decimal string.") String ratio,
    @JsonPropertyDescription("Largest absolute output difference on the samples, as a string.")
        String maxOutputError,
    @JsonPropertyDescription("Fraction of samples with unchanged top-1 class, as a string.")
        String top1Agreement) {}
