package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * A file the prepare Job fetches besides the model (Distill's student, the data): where it is and
 * its digest. Its rules sit on {@link CompressionSpec}, which knows which field it is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactRefSpec(
    @Required
        @JsonPropertyDescription(
            "https://, http://, s3://<bucket>/<key> or hf://<org>/<repo>/<path>@<revision>; s3://"
                + " and hf:// use spec.model's credentials and S3 settings.")
        String uri,
    @JsonPropertyDescription("Expected sha256, verified before use (recommended).")
        String sha256) {}
