package dev.maas.runtime.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --kubernetes-auth's target: NAMESPACE/NAME, or NAME in the pod's own namespace. */
class KubernetesAuthTest {
  @TempDir Path dir;

  @Test
  void aNameAloneIsInTheNamespaceBesideTheServiceAccountToken() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "t");
    Files.writeString(dir.resolve("namespace"), "web\n");
    KubernetesAuth auth =
        KubernetesAuth.of("digits", "https://10.96.0.1:443", token, dir.resolve("ca.crt"));
    assertThat(auth.namespace()).isEqualTo("web");
    assertThat(auth.name()).isEqualTo("digits");
    assertThat(
            KubernetesAuth.of("batch/scorer", "https://10.96.0.1", token, dir.resolve("ca.crt"))
                .namespace())
        .isEqualTo("batch");
  }

  @Test
  void whatCannotWorkNamesTheFlag() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "t");
    assertThatThrownBy(() -> KubernetesAuth.of("digits", "https://h", token, token))
        .hasMessageContaining("--kubernetes-auth names no namespace");
    assertThatThrownBy(() -> KubernetesAuth.of("a/b/c", "https://h", token, token))
        .hasMessageStartingWith("--kubernetes-auth must be [NAMESPACE/]NAME");
    assertThatThrownBy(() -> KubernetesAuth.of("Web/Digits", "https://h", token, token))
        .hasMessageStartingWith("--kubernetes-auth must be");
    assertThatThrownBy(() -> KubernetesAuth.of("web/digits", "http://h", token, token))
        .hasMessageStartingWith("--kubernetes-api must be an https:// URL");
  }
}
