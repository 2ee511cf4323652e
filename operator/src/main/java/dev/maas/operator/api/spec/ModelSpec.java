package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The artifact and its public name. Rules sit on the type, with a fieldPath, because the CRD
 * generator copies a rule on a record component once per accessor.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "self.uri.startsWith('https://') || self.uri.startsWith('http://') ||"
            + " self.uri.startsWith('pvc://') || self.uri.startsWith('s3://') ||"
            + " self.uri.startsWith('hf://') || self.uri.startsWith('oci://')",
    fieldPath = ".uri",
    message =
        "spec.model.uri must start with https://, http://, pvc://<claim>/<path>, s3://<bucket>/<key>,"
            + " hf://<org>/<repo>/<path>@<revision> or oci://<image reference>; for Google Cloud"
            + " Storage use s3:// with spec.model.s3.endpoint https://storage.googleapis.com")
@ValidationRule(
    value =
        "!self.uri.startsWith('s3://') || self.uri.matches('^s3://[a-z0-9][-a-z0-9.]{1,61}[a-z0-9]/.+$')",
    fieldPath = ".uri",
    message = "spec.model.uri: an s3:// URI must name a bucket and a key, as s3://<bucket>/<key>")
@ValidationRule(
    value =
        "!self.uri.startsWith('hf://') ||"
            + " self.uri.matches('^hf://[^/@]+/[^/@]+/[^@]+(@[^@]+)?$')",
    fieldPath = ".uri",
    message =
        "spec.model.uri: an hf:// URI names a repository and a file in it, and should pin a"
            + " commit: hf://<org>/<repo>/<path/to/model.pt>@<commit>")
@ValidationRule(
    value = "!has(self.s3) || self.uri.startsWith('s3://')",
    fieldPath = ".s3",
    message = "spec.model.s3 applies only to an s3:// spec.model.uri: remove it or change the uri")
@ValidationRule(
    value =
        "!has(self.credentials) || self.uri.startsWith('s3://') || self.uri.startsWith('hf://')",
    fieldPath = ".credentials",
    message =
        "spec.model.credentials applies only to s3:// and hf:// URIs (a pvc:// file needs none; an"
            + " oci:// image is pulled with the namespace's imagePullSecrets)")
@ValidationRule(
    value =
        "!self.uri.startsWith('pvc://') ||"
            + " self.uri.matches('^pvc://[a-z0-9]([-a-z0-9]*[a-z0-9])?/[^/].*$')",
    fieldPath = ".uri",
    message =
        "spec.model.uri: a pvc:// URI must name a claim and a path inside it, as"
            + " pvc://<claim-name>/<path/to/model.pt>")
@ValidationRule(
    value = "!has(self.sha256) || self.sha256.matches('^[0-9a-fA-F]{64}$')",
    fieldPath = ".sha256",
    message =
        "spec.model.sha256 must be 64 hexadecimal characters, as printed by `sha256sum model.pt`")
@ValidationRule(
    value = "!has(self.servedName) || self.servedName.matches('^[a-zA-Z0-9][a-zA-Z0-9_.-]*$')",
    fieldPath = ".servedName",
    message =
        "spec.model.servedName may contain only letters, digits, '_', '.' and '-', and must start"
            + " with a letter or digit: it is a path segment of /v2/models/{name}")
@ValidationRule(
    value = "!has(self.inputs) || self.inputs.all(i, self.inputs.exists_one(j, j.name == i.name))",
    fieldPath = ".inputs",
    message = "spec.model.inputs: every input needs a different name")
public record ModelSpec(
    @Required
        @Size(min = 1, max = 2048)
        @JsonPropertyDescription(
            "Location of the TorchScript file or compressed package: https://, http://,"
                + " pvc://<claim>/<path>, s3://<bucket>/<key> (with credentials and s3),"
                + " hf://<org>/<repo>/<path>@<revision> (with credentials for a gated or private"
                + " repository), or oci://<registry>/<repository>:<tag> or @sha256:<digest> (an"
                + " image or artifact holding the one model file, mounted as an image volume).")
        String uri,
    @Size(max = 64)
        @JsonPropertyDescription(
            "Expected SHA-256 of the artifact (64 hex characters); the runtime refuses an"
                + " artifact that does not match.")
        String sha256,
    @Size(max = 63)
        @JsonPropertyDescription("Name in /v2/models/{name}/infer; defaults to metadata.name.")
        String servedName,
    @Size(max = 16)
        @JsonPropertyDescription(
            "Input tensor signature: shown in model metadata, checked on requests and used to"
                + " generate compression samples. Optional unless compression is set.")
        List<TensorSpec> inputs,
    @JsonPropertyDescription(
            "The artifact is encrypted (maas-runtime.jar encrypt): where its key is. Absent: a"
                + " plain artifact.")
        EncryptionSpec encryption,
    @JsonPropertyDescription(
            "A Secret with the source's credentials, mounted as files (never as env): for s3://"
                + " the keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN"
                + " optional), for hf:// HF_TOKEN. Absent for s3://: the AWS SDK's default chain"
                + " (web identity, instance roles).")
        SecretNameSpec credentials,
    @JsonPropertyDescription(
            "An s3:// source's store: endpoint, region, path style and CA bundle; defaults from"
                + " the operator's sources.s3.")
        S3SourceSpec s3) {

  public ModelSpec(String uri, String sha256, String servedName, List<TensorSpec> inputs) {
    this(uri, sha256, servedName, inputs, null, null, null);
  }

  public ModelSpec(
      String uri,
      String sha256,
      String servedName,
      List<TensorSpec> inputs,
      EncryptionSpec encryption) {
    this(uri, sha256, servedName, inputs, encryption, null, null);
  }
}
