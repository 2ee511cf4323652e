package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;

/**
 * Who may call the model and how: authentication and TLS are enforced by the runtime itself (no
 * mesh, no sidecar); allowFrom becomes a NetworkPolicy. Not part of a revision: a rollback restores
 * a model, never weaker access.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.allowFrom) || self.allowFrom.all(p, has(p.podSelector) ||"
            + " has(p.namespaceSelector) || has(p.ipBlock))",
    fieldPath = ".allowFrom",
    message =
        "spec.access.allowFrom: each entry needs a podSelector, a namespaceSelector or an ipBlock")
@ValidationRule(
    value =
        "!has(self.allowFrom) || self.allowFrom.all(p, !has(p.ipBlock) || (!has(p.podSelector) &&"
            + " !has(p.namespaceSelector)))",
    fieldPath = ".allowFrom",
    message = "spec.access.allowFrom: an entry with an ipBlock can have no other selector")
public record AccessSpec(
    @JsonPropertyDescription(
            "Callers must authenticate on every model endpoint (/v2/models/...); health and"
                + " /metrics stay open for probes and scrapers.")
        AuthenticationSpec authentication,
    @JsonPropertyDescription(
            "Serve HTTPS from a kubernetes.io/tls Secret (cert-manager's Certificate writes one),"
                + " renewed without restarting pods.")
        SecretNameSpec tls,
    @Size(max = 64)
        @JsonPropertyDescription(
            "A NetworkPolicy: only these peers may connect to the runtime pods (the operator's own"
                + " pods and the ModelDeployment's pods are added). Enforced only where the"
                + " cluster's network plugin enforces NetworkPolicies.")
        List<NetworkPolicyPeer> allowFrom) {}
