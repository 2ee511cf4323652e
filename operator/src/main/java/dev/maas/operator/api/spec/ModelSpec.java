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
            + " self.uri.startsWith('pvc://')",
    fieldPath = ".uri",
    message =
        "spec.model.uri must start with https://, http:// or pvc://<claim>/<path>; other schemes"
            + " (s3://, gs://, file://) are not supported by the runtime")
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
            "Location of the TorchScript file or compressed package: https://, http:// or"
                + " pvc://<claim>/<path>.")
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
        EncryptionSpec encryption) {

  public ModelSpec(String uri, String sha256, String servedName, List<TensorSpec> inputs) {
    this(uri, sha256, servedName, inputs, null);
  }
}
