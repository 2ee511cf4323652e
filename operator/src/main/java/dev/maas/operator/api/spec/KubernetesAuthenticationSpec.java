package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Callers present a Kubernetes service-account token; allowed when RBAC lets them {@code get}
 * {@code modeldeployments/infer} of this ModelDeployment. No settings yet: its presence turns it on
 * ({@code kubernetes: {}}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KubernetesAuthenticationSpec() {}
