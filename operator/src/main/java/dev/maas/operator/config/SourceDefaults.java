package dev.maas.operator.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Where the platform's model stores are, so that most ModelDeployments name only a URI and a
 * Secret: the S3-compatible store's endpoint, region, addressing and CA, and a Hugging Face Hub
 * mirror. A ModelDeployment's own {@code spec.model.s3} overrides each field.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record SourceDefaults(S3 s3, HuggingFace huggingFace) {
  public SourceDefaults {
    s3 = s3 == null ? new S3(null, null, null, null) : s3;
    huggingFace = huggingFace == null ? new HuggingFace(null) : huggingFace;
  }

  public static SourceDefaults none() {
    return new SourceDefaults(null, null);
  }

  /**
   * @param caBundleSecretName a Secret (in each ModelDeployment's namespace) whose ca.crt signs the
   *     endpoint's certificate
   */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record S3(String endpoint, String region, Boolean pathStyle, String caBundleSecretName) {}

  /**
   * @param endpoint a Hub mirror's URL (HF_ENDPOINT); absent: https://huggingface.co
   */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record HuggingFace(String endpoint) {}
}
