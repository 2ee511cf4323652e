package dev.maas.contract;

/**
 * Where the operator mounts things in runtime pods and prepare Jobs, and the runtime finds them.
 */
public final class PodLayout {
  /** The kubelet reads a container's termination message here: compress's report. */
  public static final String TERMINATION_LOG = "/dev/termination-log";

  /** Writable cache (downloaded artifacts, libtorch unpacked by DJL): an emptyDir. */
  public static final String CACHE_DIR = "/var/cache/maas";

  /** The storage claim, where prepare Jobs write packages and runtime pods read them. */
  public static final String MODELS_DIR = "/var/lib/maas/models";

  /** The packages' directory, under {@link #MODELS_DIR}. */
  public static final String PACKAGES = "packages";

  /** pvc:// sources: claim {@code c} is mounted, read-only, at {@code SOURCES_DIR/c}. */
  public static final String SOURCES_DIR = "/var/lib/maas/sources";

  /**
   * oci:// sources: the image (or OCI artifact) is mounted here read-only as an image volume; the
   * runtime loads the one model file in it (at its root or under models/).
   */
  public static final String IMAGE_DIR = "/var/lib/maas/image";

  /**
   * Settings that change while pods run (the shadow targets): a ConfigMap mounted here, which
   * kubelet updates in place, so changing them restarts no pod.
   */
  public static final String LIVE_SETTINGS_DIR = "/var/lib/maas/live";

  /** The shadow settings' key in the live-settings ConfigMap. */
  public static final String SHADOW_SETTINGS_FILE = "shadow.properties";

  /** The API-key Secret, mounted read-only: each file one key (serve's --api-keys). */
  public static final String API_KEYS_DIR = "/var/run/secrets/maas/api-keys";

  /** The kubernetes.io/tls Secret, mounted read-only: {@link #TLS_CERT} and {@link #TLS_KEY}. */
  public static final String TLS_DIR = "/var/run/secrets/maas/tls";

  public static final String TLS_CERT = "tls.crt";
  public static final String TLS_KEY = "tls.key";

  /** The key of an encrypted artifact, mounted read-only: {@link #MODEL_KEY_FILE}. */
  public static final String MODEL_KEY_DIR = "/var/run/secrets/maas/model-key";

  public static final String MODEL_KEY_FILE = "model.key";

  /**
   * The source's credentials Secret, mounted read-only (serve's and compress's
   * --source-credentials).
   */
  public static final String SOURCE_CREDENTIALS_DIR = "/var/run/secrets/maas/source-credentials";

  /** The S3 endpoint's CA bundle (a Secret's {@link #CA_BUNDLE_FILE}), mounted read-only. */
  public static final String SOURCE_CA_DIR = "/var/run/secrets/maas/source-ca";

  public static final String CA_BUNDLE_FILE = "ca.crt";

  /** A memory-backed emptyDir: where an encrypted artifact is decrypted while it loads. */
  public static final String DECRYPTED_DIR = "/var/run/maas/decrypted";

  /** The Open Inference Protocol REST port. */
  public static final int HTTP_PORT = 8080;

  /** The Open Inference Protocol gRPC port, as KServe's runtimes have it (REST + 1). */
  public static final int GRPC_PORT = 8081;

  /**
   * The Service's and the container's port names; Istio and Linkerd read the protocol from them.
   */
  public static final String HTTP_PORT_NAME = "http";

  public static final String GRPC_PORT_NAME = "grpc";

  private PodLayout() {}
}
