package dev.maas.runtime.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * The key of encrypted model artifacts: a Tink keyset (JSON) for streaming authenticated
 * encryption, AES-256-GCM with HKDF-derived segment keys over 1 MB segments. Streaming, because a
 * model can be larger than the memory one wants to hold it twice in; authenticated per segment, so
 * a wrong key, a flipped bit or a cut-off file is an error, never a half-decrypted model; and Tink,
 * because it is Google's maintained library built for exactly this, with a file format (header,
 * nonce prefix, segment tags) that its other languages read too. The associated data binds a
 * ciphertext to this use, so a file encrypted for something else with the same key does not decrypt
 * as a model.
 */
public final class ModelKey {
  private static final byte[] ASSOCIATED_DATA = "maas.dev/model".getBytes(StandardCharsets.UTF_8);

  static {
    try {
      StreamingAeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final StreamingAead aead;
  private final String origin;

  private ModelKey(StreamingAead aead, String origin) {
    this.aead = aead;
    this.origin = origin;
  }

  /** A new keyset, as the JSON {@link #read} takes. */
  public static String generate() {
    try {
      KeysetHandle handle =
          KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
      return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink cannot make a streaming AEAD key", e);
    }
  }

  /**
   * @param flag the flag that named the file, for the message of a file that is not a key
   * @throws ModelKeyException naming {@code flag} and the file
   */
  public static ModelKey read(Path file, String flag) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelKeyException(flag + " " + file + " cannot be read: " + e);
    }
    try {
      KeysetHandle handle =
          TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
      return new ModelKey(
          handle.getPrimitive(RegistryConfiguration.get(), StreamingAead.class), flag + " " + file);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ModelKeyException(
          flag
              + " "
              + file
              + " is not a streaming AEAD key (make one with: maas-runtime.jar keygen --out FILE): "
              + e.getMessage());
    }
  }

  /** Encrypts {@code plain} into {@code out} (closed at the end, which writes the last segment). */
  public void encrypt(InputStream plain, OutputStream out) throws IOException {
    try (OutputStream encrypting = aead.newEncryptingStream(out, ASSOCIATED_DATA)) {
      plain.transferTo(encrypting);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot encrypt with " + origin + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts all of {@code ciphertext} into {@code out}; what reaches {@code out} before an error
   * must be thrown away by the caller (it is only known to be whole once this returns).
   *
   * @throws ModelKeyException naming the key and {@code what}: a wrong key, or a corrupt or
   *     truncated file
   */
  public void decrypt(InputStream ciphertext, OutputStream out, String what) {
    try (InputStream decrypting = aead.newDecryptingStream(ciphertext, ASSOCIATED_DATA)) {
      decrypting.transferTo(out);
    } catch (IOException | GeneralSecurityException e) {
      throw new ModelKeyException(
          "cannot decrypt "
              + what
              + " with "
              + origin
              + ": a wrong key, or the file is corrupt or truncated ("
              + e.getMessage()
              + ")");
    }
  }
}
