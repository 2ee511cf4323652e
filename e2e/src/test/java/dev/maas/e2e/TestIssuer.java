package dev.maas.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CA and one server certificate it signs, made by openssl as an issuer would make them: {@code
 * ca.crt}, {@code server.crt} and {@code server.key} (PKCS#1, cert-manager's default) in a
 * directory.
 */
final class TestIssuer {
  private TestIssuer() {}

  /**
   * @param subjectAltName as openssl writes it, e.g. {@code DNS:digits.ns.svc,IP:127.0.0.1}
   * @return the CA's certificate
   */
  static Path issue(Path dir, String commonName, String subjectAltName) throws Exception {
    Files.createDirectories(dir);
    Path ext = dir.resolve("server.ext");
    Files.writeString(ext, "subjectAltName=" + subjectAltName + "\n");
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=e2e CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt");
    openssl(dir, "genrsa", "-traditional", "-out", "server.key", "2048");
    openssl(
        dir,
        "req",
        "-new",
        "-key",
        "server.key",
        "-subj",
        "/CN=" + commonName,
        "-out",
        "server.csr");
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-set_serial",
        "7",
        "-days",
        "1",
        "-extfile",
        ext.toString(),
        "-out",
        "server.crt");
    return dir.resolve("ca.crt");
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0)
        .as(String.join(" ", command) + ": " + output)
        .isTrue();
  }
}
