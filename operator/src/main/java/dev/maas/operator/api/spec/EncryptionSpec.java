package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The key of an encrypted artifact: a Secret whose key {@code key} holds it. */
@ValidationRule(
    value =
        "self.keySecretName.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
    fieldPath = ".keySecretName",
    message = "spec.model.encryption.keySecretName must be the name of a Secret")
public record EncryptionSpec(
    @Required
        @Size(min = 1, max = 253)
        @JsonPropertyDescription(
            "A Secret in this namespace whose key 'key' holds the artifact's key, as made by"
                + " `maas-runtime.jar keygen --out model.key` and stored with `kubectl create"
                + " secret generic NAME --from-file=key=model.key`. The runtime decrypts the"
                + " artifact into memory, loads it and deletes the plaintext; spec.model.sha256 is"
                + " of the encrypted file.")
        String keySecretName) {
  /** The Secret's key that holds the keyset. */
  public static final String SECRET_KEY = "key";
}
