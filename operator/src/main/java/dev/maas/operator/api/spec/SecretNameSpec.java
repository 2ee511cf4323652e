package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A Secret in the ModelDeployment's namespace, mounted read-only into the runtime pods. */
@ValidationRule(
    value =
        "self.secretName.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
    fieldPath = ".secretName",
    message = "secretName must be the name of a Secret (lower-case letters, digits, '-' and '.')")
public record SecretNameSpec(
    @Required
        @Size(min = 1, max = 253)
        @JsonPropertyDescription("The Secret's name, in the ModelDeployment's namespace.")
        String secretName) {}
