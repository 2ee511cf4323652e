package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** How callers of the model endpoints prove who they are. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.apiKeys)",
    message = "spec.access.authentication needs a method: apiKeys")
public record AuthenticationSpec(
    @JsonPropertyDescription(
            "API keys: each key of the Secret is one named key; callers send 'Authorization:"
                + " Bearer <key>'. Rotating or revoking a key in the Secret takes effect within"
                + " seconds, without restarting pods.")
        SecretNameSpec apiKeys) {}
