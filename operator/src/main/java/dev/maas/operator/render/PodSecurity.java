package dev.maas.operator.render;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The locked-down security every pod the operator makes gets, runtime and prepare Job alike:
 * non-root, no privilege escalation, no capabilities, read-only root filesystem, RuntimeDefault
 * seccomp. Writable places are emptyDirs the builders mount explicitly.
 */
final class PodSecurity {
  static final long RUNTIME_USER = 65532;

  private PodSecurity() {}

  static PodSecurityContext pod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUNTIME_USER)
        .withRunAsGroup(RUNTIME_USER)
        .withFsGroup(RUNTIME_USER)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  static SecurityContext container() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withPrivileged(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }
}
