package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** How callers of the model endpoints prove who they are. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.apiKeys) || has(self.kubernetes)",
    message = "spec.access.authentication needs a method: apiKeys, kubernetes or both")
public record AuthenticationSpec(
    @JsonPropertyDescription(
            "API keys: each key of the Secret is one named key; callers send 'Authorization:"
                + " Bearer <key>'. Rotating or revoking a key in the Secret takes effect within"
                + " seconds, without restarting pods.")
        SecretNameSpec apiKeys,
    @JsonPropertyDescription(
            "Kubernetes service-account tokens: callers send 'Authorization: Bearer <token>' and"
                + " are allowed when RBAC lets them get modeldeployments/infer of this"
                + " ModelDeployment (a Role with resources [modeldeployments/infer], verbs [get]);"
                + " answers are kept 60 s (allowed) and 10 s (refused). The runtime pods then get"
                + " a service account of their own ({name}-runtime) that may only review tokens.")
        KubernetesAuthenticationSpec kubernetes) {

  public AuthenticationSpec(SecretNameSpec apiKeys) {
    this(apiKeys, null);
  }
}
