package dev.maas.runtime.compress;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How the compressed model compares with the original on the samples (and on labelled data, when
 * given). Top-1 agreement is null for outputs that are not class scores.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AcceptanceResult(
    int samples,
    double maxOutputError,
    double meanOutputError,
    Double top1Agreement,
    Double accuracyBefore,
    Double accuracyAfter) {}
