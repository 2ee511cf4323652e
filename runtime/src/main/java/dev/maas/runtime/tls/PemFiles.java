package dev.maas.runtime.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PEM files of a {@code kubernetes.io/tls} Secret: a certificate chain and an unencrypted
 * private key in any of the encodings cert-manager and openssl write: PKCS#8 ({@code PRIVATE KEY}),
 * PKCS#1 RSA ({@code RSA PRIVATE KEY}, cert-manager's default) and SEC1 EC ({@code EC PRIVATE
 * KEY}). The JDK reads only PKCS#8, so the other two are wrapped into it (their DER is the inner
 * key of a PKCS#8 structure) rather than adding a crypto provider for it.
 */
public final class PemFiles {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private PemFiles() {}

  /**
   * @throws IllegalArgumentException naming {@code what} when it holds no certificate
   */
  public static X509Certificate[] certificates(byte[] pem, String what) {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks(pem)) {
        if (block.type().equals("CERTIFICATE")) {
          chain.add(
              (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          what + " holds a certificate that does not parse: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(what + " holds no PEM CERTIFICATE");
    }
    return chain.toArray(X509Certificate[]::new);
  }

  /**
   * @throws IllegalArgumentException naming {@code what} when it holds no usable key (an encrypted
   *     key included: a Secret's key is not encrypted)
   */
  public static PrivateKey privateKey(byte[] pem, String what) {
    for (Block block : blocks(pem)) {
      try {
        switch (block.type()) {
          case "PRIVATE KEY":
            return pkcs8(block.der());
          case "RSA PRIVATE KEY":
            return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(pkcs8Of(RSA_ALGORITHM, block.der())));
          case "EC PRIVATE KEY":
            return KeyFactory.getInstance("EC")
                .generatePrivate(
                    new PKCS8EncodedKeySpec(
                        pkcs8Of(
                            sequence(EC_PUBLIC_KEY_OID, curveOf(block.der(), what)), block.der())));
          case "ENCRYPTED PRIVATE KEY":
            throw new IllegalArgumentException(
                what + " holds an encrypted private key; a TLS Secret's key is not encrypted");
          default:
            break;
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            what + " holds a " + block.type() + " that does not parse: " + e.getMessage());
      }
    }
    throw new IllegalArgumentException(
        what + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    GeneralSecurityException last = null;
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  /** PKCS#8: SEQUENCE { INTEGER 0, algorithm, OCTET STRING { the inner key } }. */
  private static byte[] pkcs8Of(byte[] algorithm, byte[] innerKey) {
    return sequence(new byte[] {0x02, 0x01, 0x00}, algorithm, tagged(0x04, innerKey));
  }

  /**
   * The named curve of a SEC1 key: ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING,
   * [0] parameters (the curve's OID), [1] publicKey }.
   */
  private static byte[] curveOf(byte[] sec1, String what) {
    Der outer = new Der(sec1, 0);
    int at = outer.contentStart();
    int end = outer.contentEnd();
    while (at < end) {
      Der element = new Der(sec1, at);
      if ((sec1[at] & 0xff) == 0xa0) {
        byte[] oid = new byte[element.contentEnd() - element.contentStart()];
        System.arraycopy(sec1, element.contentStart(), oid, 0, oid.length);
        return oid;
      }
      at = element.contentEnd();
    }
    throw new IllegalArgumentException(what + " holds an EC PRIVATE KEY that names no curve");
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    return tagged(0x30, content.toByteArray());
  }

  private static byte[] tagged(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((length >>> (8 * i)) & 0xff);
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** One DER element's bounds. */
  private record Der(int contentStart, int contentEnd) {
    Der(byte[] der, int at) {
      this(start(der, at), start(der, at) + length(der, at));
    }

    private static int start(byte[] der, int at) {
      int first = der[at + 1] & 0xff;
      return at + 2 + (first < 0x80 ? 0 : first & 0x7f);
    }

    private static int length(byte[] der, int at) {
      int first = der[at + 1] & 0xff;
      if (first < 0x80) {
        return first;
      }
      int length = 0;
      for (int i = 0; i < (first & 0x7f); i++) {
        length = (length << 8) | (der[at + 2 + i] & 0xff);
      }
      return length;
    }
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(byte[] pem) {
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    while (matcher.find()) {
      try {
        blocks.add(
            new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2).strip())));
      } catch (IllegalArgumentException e) {
        // Not base64: not a block we can use; the caller says what is missing.
      }
    }
    return blocks;
  }
}
