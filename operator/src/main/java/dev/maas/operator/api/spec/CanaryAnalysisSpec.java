package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The checks of each live step, read from the candidate's and the serving pods' metrics. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryAnalysisSpec(
    @Min(5) @Max(3600) @JsonPropertyDescription("Seconds between checks (default 15).")
        Integer intervalSeconds,
    @Min(0)
        @Max(100)
        @JsonPropertyDescription(
            "Failed checks tolerated in a canary; one more aborts it (default 2).")
        Integer failureLimit,
    @Min(0)
        @Max(1)
        @JsonPropertyDescription(
            "Largest allowed share of the candidate's answered requests that were server errors"
                + " (5xx) in an interval (default 0.01).")
        Double maxErrorRate,
    @Min(1)
        @Max(100)
        @JsonPropertyDescription(
            "Largest allowed ratio of the candidate's p99 latency to the serving pods' over the"
                + " same interval (default 1.5); a candidate less than 10 ms slower passes, as"
                + " within the noise of one interval, and so does one whose p99 the latency"
                + " histogram's buckets cannot tell from the ratio.")
        Double maxLatencyP99Ratio,
    @Min(1)
        @Max(600000)
        @JsonPropertyDescription(
            "Largest allowed p99 latency of the candidate in milliseconds (default: not checked).")
        Integer maxLatencyP99Millis) {}
