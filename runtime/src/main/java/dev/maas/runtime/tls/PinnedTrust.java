package dev.maas.runtime.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A client that trusts exactly one certificate: how the server calls itself over loopback (its
 * warm-up), where the certificate need not name 127.0.0.1 nor chain to a CA the JVM knows, but must
 * be the one the server presents.
 */
public final class PinnedTrust {
  private PinnedTrust() {}

  public static SSLSocketFactory socketFactory(X509Certificate pinned) {
    X509TrustManager trust =
        new X509TrustManager() {
          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType)
              throws CertificateException {
            if (chain.length == 0 || !chain[0].equals(pinned)) {
              throw new CertificateException("not the server's own certificate");
            }
          }

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType)
              throws CertificateException {
            throw new CertificateException("a client-side trust manager only");
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has TLS", e);
    }
  }
}
