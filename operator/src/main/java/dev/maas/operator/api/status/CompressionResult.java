package dev.maas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The prepare (compression) Job's report, copied from its termination message the moment the Job
 * ended. Numbers are decimal strings, exactly as reported.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompressionResult(
    @JsonPropertyDescription(
            "ok, rejected (acceptance thresholds not met), error (bad input) or failed (the Job"
                + " failed without a report).")
        String status,
    @JsonPropertyDescription(
            "The Job that prepared it (it may since have been removed by its TTL).")
        String job,
    @JsonPropertyDescription("Exit code of the compress container, when it failed.")
        Integer exitCode,
    @JsonPropertyDescription("Content-addressed package key.") String key,
    @JsonPropertyDescription("Size of the source artifact in bytes.") Long originalBytes,
    @JsonPropertyDescription("Size of the compressed package in bytes.") Long packageBytes,
    @JsonPropertyDescription("originalBytes / packageBytes.") String ratio,
    @JsonPropertyDescription("Largest absolute output difference on the samples.")
        String maxOutputError,
    @JsonPropertyDescription("Mean absolute output difference on the samples.")
        String meanOutputError,
    @JsonPropertyDescription("Fraction of samples with unchanged top-1 class.")
        String top1Agreement,
    @JsonPropertyDescription("Why it failed, or what else the report says.") String message,
    @JsonPropertyDescription(
            "Distill: epochs, rows, the teacher's and the student's parameters, and how much faster"
                + " the student ran than the teacher in the Job, by batch size.")
        String training) {}
