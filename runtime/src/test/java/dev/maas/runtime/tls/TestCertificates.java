package dev.maas.runtime.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Real certificates made by openssl, as a cluster's issuer makes them: a CA, and server
 * certificates it signs for 127.0.0.1 and localhost, with keys in each encoding cert-manager and
 * openssl write (PKCS#1 RSA, cert-manager's default; PKCS#8; SEC1 EC).
 */
public final class TestCertificates {
  public enum KeyKind {
    RSA_PKCS1,
    RSA_PKCS8,
    EC_SEC1
  }

  public record Issued(Path cert, Path key) {
    public String certPem() throws IOException {
      return Files.readString(cert);
    }

    public String keyPem() throws IOException {
      return Files.readString(key);
    }
  }

  private final Path dir;
  private final Path caCert;
  private final Path caKey;
  private int serial;

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.caCert = dir.resolve("ca.crt");
    this.caKey = dir.resolve("ca.key");
  }

  /** A new CA in {@code dir}. */
  public static TestCertificates authority(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    TestCertificates ca = new TestCertificates(dir);
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=maas test CA",
        "-keyout",
        ca.caKey.toString(),
        "-out",
        ca.caCert.toString());
    return ca;
  }

  public Path caCert() {
    return caCert;
  }

  /** A server certificate for 127.0.0.1 and localhost, signed by this CA. */
  public Issued issue(String commonName, KeyKind kind) throws IOException, InterruptedException {
    int n = ++serial;
    Path key = dir.resolve("server-" + n + ".key");
    Path csr = dir.resolve("server-" + n + ".csr");
    Path cert = dir.resolve("server-" + n + ".crt");
    Path ext = dir.resolve("server-" + n + ".ext");
    switch (kind) {
      case RSA_PKCS1 -> openssl(dir, "genrsa", "-traditional", "-out", key.toString(), "2048");
      case RSA_PKCS8 ->
          openssl(
              dir,
              "genpkey",
              "-algorithm",
              "RSA",
              "-pkeyopt",
              "rsa_keygen_bits:2048",
              "-out",
              key.toString());
      case EC_SEC1 ->
          openssl(
              dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
    }
    openssl(
        dir,
        "req",
        "-new",
        "-key",
        key.toString(),
        "-subj",
        "/CN=" + commonName,
        "-out",
        csr.toString());
    Files.writeString(
        ext,
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
        StandardCharsets.US_ASCII);
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        caCert.toString(),
        "-CAkey",
        caKey.toString(),
        "-set_serial",
        Integer.toString(1000 + n),
        "-days",
        "2",
        "-extfile",
        ext.toString(),
        "-out",
        cert.toString());
    return new Issued(cert, key);
  }

  /** A client context that trusts this CA only. */
  public SSLContext clientContext() throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caCert)) {
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }
}
