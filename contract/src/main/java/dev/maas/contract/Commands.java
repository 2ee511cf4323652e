package dev.maas.contract;

/**
 * The runtime image's subcommands: the operator's pods and Jobs run them, the runtime parses them.
 */
public final class Commands {
  /** Serves a model over the Open Inference Protocol: the runtime Deployment's pods. */
  public static final String SERVE = "serve";

  /** Prepares a compressed package: the prepare Job. */
  public static final String COMPRESS = "compress";

  /** Makes a key for encrypted model artifacts (a Tink streaming AEAD keyset, JSON). */
  public static final String KEYGEN = "keygen";

  /** Encrypts a model artifact with such a key, as users prepare one. */
  public static final String ENCRYPT = "encrypt";

  /** Decrypts one. */
  public static final String DECRYPT = "decrypt";

  private Commands() {}
}
