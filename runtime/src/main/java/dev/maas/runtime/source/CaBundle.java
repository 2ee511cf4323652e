package dev.maas.runtime.source;

import dev.maas.runtime.tls.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates a private endpoint's TLS chain must lead to ({@code AWS_CA_BUNDLE}). As with the
 * AWS CLI, the bundle replaces the JDK's authorities rather than adding to them.
 */
final class CaBundle {
  private CaBundle() {}

  /**
   * @throws InvalidSourceException naming the file when it cannot be read or holds no certificate
   */
  static TrustManager[] trustManagers(Path pem) {
    try {
      X509Certificate[] certificates =
          PemFiles.certificates(Files.readAllBytes(pem), "AWS_CA_BUNDLE " + pem);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < certificates.length; i++) {
        store.setCertificateEntry("ca-" + i, certificates[i]);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (IOException e) {
      throw new InvalidSourceException("cannot read AWS_CA_BUNDLE " + pem + ": " + e.getMessage());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new InvalidSourceException("AWS_CA_BUNDLE " + pem + ": " + e.getMessage());
    }
  }
}
