package dev.maas.runtime.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Named API keys, as a mounted Secret lays them out: each file one key, its name the key's name.
 * Only the keys' SHA-256 digests are kept, and a presented key is compared with every one of them
 * in constant time, so neither which key matched nor how much of one matched shows in the time an
 * answer takes.
 */
public final class ApiKeys {
  private final Map<String, byte[]> digestByName;

  private ApiKeys(Map<String, byte[]> digestByName) {
    this.digestByName = digestByName;
  }

  /**
   * The keys in {@code files}; a trailing newline (what {@code echo} and most editors leave) is not
   * part of a key.
   *
   * @throws IllegalArgumentException naming a file that holds no key
   */
  public static ApiKeys of(Map<String, byte[]> files) {
    Map<String, byte[]> digests = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> file : new java.util.TreeMap<>(files).entrySet()) {
      String key = new String(file.getValue(), StandardCharsets.UTF_8).strip();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("API key '" + file.getKey() + "' is empty");
      }
      if (!key.chars().allMatch(c -> visible((char) c))) {
        throw new IllegalArgumentException(
            "API key '"
                + file.getKey()
                + "' holds spaces or characters other than visible ASCII, which an"
                + " Authorization header cannot carry");
      }
      digests.put(file.getKey(), sha256(key));
    }
    return new ApiKeys(digests);
  }

  static boolean visible(char c) {
    return c > 0x20 && c < 0x7f;
  }

  public int size() {
    return digestByName.size();
  }

  /** The name of the key {@code presented} is, if it is one. */
  public Optional<String> nameOf(String presented) {
    byte[] digest = sha256(presented);
    String match = null;
    for (Map.Entry<String, byte[]> key : digestByName.entrySet()) {
      // No early exit: every key is compared, whichever matched.
      if (MessageDigest.isEqual(digest, key.getValue())) {
        match = key.getKey();
      }
    }
    return Optional.ofNullable(match);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
