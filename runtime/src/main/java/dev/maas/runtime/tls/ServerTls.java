package dev.maas.runtime.tls;

import dev.maas.runtime.files.MountedFiles;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's certificate and key, from the files of a mounted {@code kubernetes.io/tls} Secret,
 * read again when they change: cert-manager renews a certificate by rewriting the Secret, and the
 * next connection is served with the new one while open connections keep theirs (none is dropped).
 * A renewal that does not parse keeps the certificate in use, with one line saying why.
 */
public final class ServerTls implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

  /** How often the mounted files are read again. */
  public static final Duration RELOAD_PERIOD = Duration.ofSeconds(2);

  /** TLS 1.2 and 1.3 only: what current clients speak, nothing older. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private final Path certFile;
  private final Path keyFile;
  private final AtomicReference<Loaded> current = new AtomicReference<>();
  private MountedFiles watch;

  private record Loaded(SslContext context, X509Certificate[] chain, PrivateKey key) {}

  private ServerTls(Path certFile, Path keyFile) {
    this.certFile = certFile;
    this.keyFile = keyFile;
  }

  /**
   * Reads the files now and watches them.
   *
   * @throws IllegalArgumentException naming {@code --tls-cert} or {@code --tls-key} when a file
   *     cannot be read or used
   */
  public static ServerTls load(Path certFile, Path keyFile) {
    ServerTls tls = new ServerTls(certFile, keyFile);
    List<Path> files = List.of(certFile, keyFile);
    Map<String, byte[]> read;
    try {
      read = MountedFiles.read(files);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--tls-cert " + certFile + " / --tls-key " + keyFile + " cannot be read: " + e);
    }
    tls.current.set(tls.build(read));
    tls.watch =
        new MountedFiles(
                "--tls-cert " + certFile,
                files,
                changed -> {
                  Loaded renewed = tls.build(changed);
                  tls.current.set(renewed);
                  LOG.info(
                      "TLS certificate renewed: {} (until {})",
                      renewed.chain()[0].getSubjectX500Principal(),
                      renewed.chain()[0].getNotAfter().toInstant());
                })
            .start(read, RELOAD_PERIOD);
    X509Certificate leaf = tls.current.get().chain()[0];
    LOG.info(
        "serving HTTPS with {} (until {})",
        leaf.getSubjectX500Principal(),
        leaf.getNotAfter().toInstant());
    return tls;
  }

  private Loaded build(Map<String, byte[]> files) {
    X509Certificate[] chain =
        PemFiles.certificates(files.get(certFile.toString()), "--tls-cert " + certFile);
    PrivateKey key = PemFiles.privateKey(files.get(keyFile.toString()), "--tls-key " + keyFile);
    if (!matches(chain[0], key)) {
      throw new IllegalArgumentException(
          "--tls-key " + keyFile + " is not the key of the certificate in --tls-cert " + certFile);
    }
    try {
      SslContext context =
          SslContextBuilder.forServer(key, chain)
              .sslProvider(SslProvider.JDK)
              .protocols(PROTOCOLS)
              .build();
      return new Loaded(context, chain, key);
    } catch (SSLException e) {
      throw new IllegalArgumentException(
          "--tls-cert "
              + certFile
              + " and --tls-key "
              + keyFile
              + " cannot serve TLS: "
              + e.getMessage());
    }
  }

  /**
   * Signs and verifies a few bytes: a key and certificate that do not belong together fail here.
   */
  private static boolean matches(X509Certificate certificate, PrivateKey key) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return true;
    }
    try {
      byte[] probe = {1, 2, 3, 4};
      java.security.Signature signer = java.security.Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /** What a new connection is served with. */
  public SslContext context() {
    return current.get().context();
  }

  /** The certificate new connections get: what the server's own warm-up trusts. */
  public X509Certificate leaf() {
    return current.get().chain()[0];
  }

  /**
   * A key manager that always offers the current certificate: a TLS context built once with it (the
   * gRPC server's, which takes one context for its lifetime) serves renewals on new handshakes too.
   */
  public X509ExtendedKeyManager keyManager() {
    return new CurrentKeyManager();
  }

  private final class CurrentKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "current";

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return current.get().chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return current.get().key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
  }
}
