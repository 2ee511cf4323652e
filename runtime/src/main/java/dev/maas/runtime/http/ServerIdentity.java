package dev.maas.runtime.http;

import java.util.List;

/** What server metadata says, over REST and gRPC alike. */
public final class ServerIdentity {
  public static final String NAME = "maas-runtime";
  public static final String VERSION = "0.1.0";

  /**
   * Output selection and request ids are core protocol; of the optional extensions, only those
   * served are listed: a client may call what is listed.
   */
  public static final List<String> EXTENSIONS = List.of("binary_tensor_data");

  private ServerIdentity() {}
}
