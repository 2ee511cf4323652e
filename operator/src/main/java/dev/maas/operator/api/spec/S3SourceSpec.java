package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where an s3:// artifact's store is, when it is not AWS's default for the region: every field
 * falls back to the operator's {@code sources.s3}, and absent there to the AWS SDK's defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.endpoint) || self.endpoint.matches('^https?://[^/?#]+/?$')",
    fieldPath = ".endpoint",
    message =
        "spec.model.s3.endpoint must be a URL of a host, as https://minio.data:9000 (no path)")
@ValidationRule(
    value =
        "!has(self.caBundleSecretName) ||"
            + " self.caBundleSecretName.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
    fieldPath = ".caBundleSecretName",
    message = "spec.model.s3.caBundleSecretName must be the name of a Secret")
public record S3SourceSpec(
    @Size(max = 512)
        @JsonPropertyDescription(
            "The S3 API's URL for an S3-compatible store (MinIO, Ceph, Google Cloud Storage's"
                + " https://storage.googleapis.com with HMAC keys): AWS_ENDPOINT_URL_S3.")
        String endpoint,
    @Size(max = 64)
        @JsonPropertyDescription(
            "The bucket's region (AWS_REGION); with an endpoint of its own, us-east-1 by"
                + " default.")
        String region,
    @JsonPropertyDescription(
            "Path-style addressing (ENDPOINT/BUCKET/KEY), which most S3-compatible stores need;"
                + " always used for an endpoint that is an IP address or localhost.")
        Boolean pathStyle,
    @Size(max = 253)
        @JsonPropertyDescription(
            "A Secret whose key 'ca.crt' holds the PEM certificates that sign the endpoint's"
                + " (AWS_CA_BUNDLE); they replace the system's authorities for this store.")
        String caBundleSecretName) {}
