package dev.maas.runtime.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Keeps the API server's answers about tokens for a while, so the inference path asks it once per
 * token and period rather than per request: allowed for {@code allowedFor}, refused for {@code
 * deniedFor}, never past the token's own expiry, at most {@code capacity} tokens (the least
 * recently used go first). Requests that arrive while a token is being reviewed wait for that one
 * review. A review that fails (the API server did not answer) is not kept. Tokens are kept only as
 * their SHA-256 digests.
 */
final class ReviewCache {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration allowedFor;
  private final Duration deniedFor;
  private final int capacity;
  private final LongSupplier nanoTime;
  private final Map<String, Entry> entries;

  /** One token's answer, or its review under way ({@code expiresAt} not set yet). */
  private static final class Entry {
    final CompletableFuture<AccessDecision> decision;
    volatile long expiresAt = Long.MAX_VALUE;

    Entry(CompletableFuture<AccessDecision> decision) {
      this.decision = decision;
    }
  }

  ReviewCache(Duration allowedFor, Duration deniedFor, int capacity, LongSupplier nanoTime) {
    this.allowedFor = allowedFor;
    this.deniedFor = deniedFor;
    this.capacity = capacity;
    this.nanoTime = nanoTime;
    this.entries =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > ReviewCache.this.capacity;
          }
        };
  }

  CompletableFuture<AccessDecision> decide(
      String token, Function<String, CompletableFuture<AccessDecision>> review) {
    String key = digest(token);
    long now = nanoTime.getAsLong();
    Entry entry;
    synchronized (this) {
      Entry known = entries.get(key);
      if (known != null && now - known.expiresAt < 0) {
        return known.decision;
      }
      entry = new Entry(new CompletableFuture<>());
      entries.put(key, entry);
    }
    long tokenLeft = expiresInNanos(token, System.currentTimeMillis()).orElse(Long.MAX_VALUE);
    review
        .apply(token)
        .whenComplete(
            (decided, failure) -> {
              if (failure != null) {
                synchronized (this) {
                  entries.remove(key, entry);
                }
                entry.decision.completeExceptionally(failure);
                return;
              }
              Duration keep = decided instanceof AccessDecision.Allowed ? allowedFor : deniedFor;
              entry.expiresAt = nanoTime.getAsLong() + Math.min(keep.toNanos(), tokenLeft);
              entry.decision.complete(decided);
            });
    return entry.decision;
  }

  synchronized int size() {
    return entries.size();
  }

  /**
   * How long a JWT has left by its {@code exp} claim, unverified: only to keep an answer no longer
   * than the token itself is good; the API server judges the token.
   */
  static Optional<Long> expiresInNanos(String token, long nowMillis) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      if (!claims.path("exp").canConvertToLong()) {
        return Optional.empty();
      }
      long exp = claims.get("exp").asLong();
      if (exp > Long.MAX_VALUE / 1000) {
        return Optional.empty();
      }
      long left = exp * 1000 - nowMillis;
      return Optional.of(Math.min(Math.max(0, left), Long.MAX_VALUE / 1_000_000) * 1_000_000);
    } catch (RuntimeException | java.io.IOException notAJwt) {
      return Optional.empty();
    }
  }

  private static String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
