package dev.maas.runtime.access;

import dev.maas.runtime.files.MountedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call the model endpoints: nobody is asked when no authentication is configured; otherwise
 * a request presents {@code Authorization: Bearer <credential>}, checked against the API keys of a
 * mounted Secret (read again when the Secret changes, so a rotated or revoked key takes effect
 * within {@link #RELOAD_PERIOD} without a restart), and/or reviewed as a Kubernetes token by the
 * API server ({@link TokenReviewer}, answers kept by a {@link ReviewCache}). The server's own
 * warm-up requests carry a credential made at start and accepted only while it warms up.
 */
public final class Access implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Access.class);

  /** How often a mounted key Secret is read again. */
  public static final Duration RELOAD_PERIOD = Duration.ofSeconds(2);

  private static final String BEARER = "bearer ";

  private static final java.util.regex.Pattern JWT =
      java.util.regex.Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  /** Tokens whose answers are kept at once: far more callers than a model has. */
  static final int REVIEW_CACHE_SIZE = 4096;

  private final boolean required;
  private final String warmUpCredential;
  private final BooleanSupplier warmingUp;
  private volatile ApiKeys apiKeys;
  private MountedFiles keyWatch;
  private TokenReviewer reviewer;
  private ReviewCache reviews;

  private Access(boolean required, BooleanSupplier warmingUp) {
    this.required = required;
    this.warmingUp = warmingUp;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.warmUpCredential = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** Every request is allowed. */
  public static Access open() {
    return new Access(false, () -> false);
  }

  /**
   * API keys from {@code dir} (a mounted Secret), watched for changes.
   *
   * @throws IllegalArgumentException naming {@code --api-keys} when the directory cannot be read or
   *     holds no key at start
   */
  public static Access apiKeys(Path dir, BooleanSupplier warmingUp) {
    return of(Optional.of(dir), Optional.empty(), warmingUp);
  }

  /**
   * API keys, Kubernetes tokens, or both (a credential that is not a known key is reviewed as a
   * token); open when neither is given.
   *
   * @throws IllegalArgumentException naming the flag whose setting cannot work
   */
  public static Access of(
      Optional<Path> apiKeysDir, Optional<KubernetesAuth> kubernetes, BooleanSupplier warmingUp) {
    if (apiKeysDir.isEmpty() && kubernetes.isEmpty()) {
      return open();
    }
    Access access = new Access(true, warmingUp);
    apiKeysDir.ifPresent(access::watchKeys);
    kubernetes.ifPresent(
        auth -> {
          try {
            access.reviewer = TokenReviewer.start(auth);
          } catch (IllegalArgumentException e) {
            access.close();
            throw e;
          }
          access.reviews =
              new ReviewCache(
                  auth.allowedFor(), auth.deniedFor(), REVIEW_CACHE_SIZE, System::nanoTime);
          LOG.info("model endpoints take Kubernetes tokens allowed to get {}", auth.describe());
        });
    return access;
  }

  private void watchKeys(Path dir) {
    Map<String, byte[]> files;
    try {
      files = MountedFiles.read(List.of(dir));
    } catch (IOException e) {
      throw new IllegalArgumentException("--api-keys " + dir + " cannot be read: " + e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          "--api-keys " + dir + " holds no key: each file of the directory is one key");
    }
    apiKeys = ApiKeys.of(files);
    keyWatch =
        new MountedFiles(
                "--api-keys " + dir,
                List.of(dir),
                changed -> {
                  ApiKeys keys = ApiKeys.of(changed);
                  apiKeys = keys;
                  if (keys.size() == 0) {
                    LOG.warn("--api-keys {} holds no key now: every model request is refused", dir);
                  } else {
                    LOG.info(
                        "--api-keys {} changed: {} key(s) {}", dir, keys.size(), changed.keySet());
                  }
                })
            .start(files, RELOAD_PERIOD);
    LOG.info("model endpoints need one of {} API key(s) {}", files.size(), files.keySet());
  }

  public boolean required() {
    return required;
  }

  /** The {@code Authorization} value the server's warm-up sends; refused once it is over. */
  public String warmUpAuthorization() {
    return "Bearer " + warmUpCredential;
  }

  /**
   * Decides on a request from its {@code Authorization} header (null when absent). Completed at
   * once for API keys and for tokens whose answer is cached; otherwise completed when the API
   * server has answered (exceptionally when it could not), never blocking the event loop.
   */
  public CompletableFuture<AccessDecision> check(String authorization) {
    AccessDecision known = decide(authorization);
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    return reviews.decide(bearer(authorization).orElseThrow(), reviewer::review);
  }

  /** The decision that needs no API server; null: the credential is to be reviewed as a token. */
  private AccessDecision decide(String authorization) {
    if (!required) {
      return new AccessDecision.Allowed(null);
    }
    Optional<String> credential = bearer(authorization);
    if (authorization == null) {
      return new AccessDecision.Unauthenticated(
          "this model needs a credential: send 'Authorization: Bearer <"
              + (reviewer == null ? "key" : apiKeys == null ? "token" : "key or token")
              + ">'",
          false);
    }
    if (credential.isEmpty()) {
      return new AccessDecision.Unauthenticated(
          "malformed Authorization header: expected 'Bearer <credential>'", true);
    }
    Optional<String> key = apiKeys == null ? Optional.empty() : apiKeys.nameOf(credential.get());
    if (key.isPresent()) {
      return new AccessDecision.Allowed(key.get());
    }
    if (warmingUp.getAsBoolean()
        && MessageDigest.isEqual(
            credential.get().getBytes(StandardCharsets.UTF_8),
            warmUpCredential.getBytes(StandardCharsets.UTF_8))) {
      return new AccessDecision.Allowed("warm-up");
    }
    if (reviewer != null && looksLikeJwt(credential.get())) {
      return null;
    }
    return new AccessDecision.Unauthenticated(
        reviewer == null
            ? "the credential is not a known API key"
            : apiKeys == null
                ? "the credential is not a Kubernetes token"
                : "the credential is neither a known API key nor a Kubernetes token",
        true);
  }

  /** Three base64url parts: what a service-account token is; anything else is not reviewed. */
  static boolean looksLikeJwt(String credential) {
    return credential.length() < 16384 && JWT.matcher(credential).matches();
  }

  /**
   * The credential of a well-formed {@code Bearer} value: visible ASCII without spaces (RFC 6750's
   * token68 and any key a Secret may hold that a header can carry).
   */
  static Optional<String> bearer(String authorization) {
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return Optional.empty();
    }
    String token = authorization.substring(BEARER.length()).strip();
    if (token.isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (!ApiKeys.visible(c)) {
        return Optional.empty();
      }
    }
    return Optional.of(token);
  }

  @Override
  public void close() {
    if (keyWatch != null) {
      keyWatch.close();
    }
  }
}
