package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** The volume that holds prepared artifacts, shared by compression Jobs and runtime pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.claimName) || (!has(self.size) && !has(self.storageClassName))",
    message =
        "spec.storage: set either claimName (use an existing PVC) or size and storageClassName"
            + " (the operator creates the PVC), not both")
@ValidationRule(
    value =
        "!has(self.claimName) ||"
            + " self.claimName.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
    fieldPath = ".claimName",
    message =
        "spec.storage.claimName must be the name of a PersistentVolumeClaim (lower-case letters,"
            + " digits, '-' and '.')")
public record StorageSpec(
    @Size(max = 253)
        @JsonPropertyDescription(
            "An existing PersistentVolumeClaim (ReadWriteMany when several replicas read it).")
        String claimName,
    @JsonPropertyDescription("Size of the PVC the operator creates, e.g. 10Gi (default 10Gi).")
        Quantity size,
    @Size(max = 253)
        @JsonPropertyDescription(
            "Storage class of the PVC the operator creates; defaults to the operator's"
                + " configured class.")
        String storageClassName) {}
