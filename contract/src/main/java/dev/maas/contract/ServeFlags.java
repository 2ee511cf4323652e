package dev.maas.contract;

/**
 * {@code serve}'s flags, each with the environment variable that sets it: the operator configures
 * the runtime container through env rather than arguments, so a pod template change is visible per
 * variable. The runtime's options are declared with these constants, so neither side can rename one
 * alone.
 */
public final class ServeFlags {
  public static final String MODEL = "--model";
  public static final String ENV_MODEL_URI = "MAAS_MODEL_URI";

  public static final String SHA256 = "--sha256";
  public static final String ENV_MODEL_SHA256 = "MAAS_MODEL_SHA256";

  public static final String SERVED_NAME = "--served-name";
  public static final String ENV_SERVED_NAME = "MAAS_SERVED_NAME";

  public static final String MODEL_VERSION = "--model-version";
  public static final String ENV_MODEL_VERSION = "MAAS_MODEL_VERSION";

  /** The input signature, in {@link SignatureFormat}. */
  public static final String INPUTS = "--inputs";

  public static final String ENV_INPUTS = "MAAS_INPUTS";

  public static final String OUTPUT_NAMES = "--output-names";
  public static final String ENV_OUTPUT_NAMES = "MAAS_OUTPUT_NAMES";

  public static final String HOST = "--host";
  public static final String ENV_HOST = "MAAS_HOST";

  public static final String PORT = "--port";
  public static final String ENV_PORT = "MAAS_PORT";

  /** The OIP gRPC port; 0 turns gRPC off. */
  public static final String GRPC_PORT = "--grpc-port";

  public static final String ENV_GRPC_PORT = "MAAS_GRPC_PORT";

  public static final String MAX_BATCH_SIZE = "--max-batch-size";
  public static final String ENV_MAX_BATCH_SIZE = "MAAS_MAX_BATCH_SIZE";

  public static final String MAX_BATCH_DELAY_MS = "--max-batch-delay-ms";
  public static final String ENV_MAX_BATCH_DELAY_MS = "MAAS_MAX_BATCH_DELAY_MS";

  public static final String QUEUE_CAPACITY = "--queue-capacity";
  public static final String ENV_QUEUE_CAPACITY = "MAAS_QUEUE_CAPACITY";

  public static final String WORKERS = "--workers";
  public static final String ENV_WORKERS = "MAAS_WORKERS";

  public static final String THREADS_PER_WORKER = "--threads-per-worker";
  public static final String ENV_THREADS_PER_WORKER = "MAAS_THREADS_PER_WORKER";

  public static final String IO_THREADS = "--io-threads";
  public static final String ENV_IO_THREADS = "MAAS_IO_THREADS";

  /** One of {@link DeviceChoice}'s values. */
  public static final String DEVICE = "--device";

  public static final String ENV_DEVICE = "MAAS_DEVICE";

  public static final String MAX_REQUEST_BYTES = "--max-request-bytes";
  public static final String ENV_MAX_REQUEST_BYTES = "MAAS_MAX_REQUEST_BYTES";

  public static final String MAX_CONNECTIONS = "--max-connections";
  public static final String ENV_MAX_CONNECTIONS = "MAAS_MAX_CONNECTIONS";

  public static final String IDLE_TIMEOUT_SECONDS = "--idle-timeout-seconds";
  public static final String ENV_IDLE_TIMEOUT_SECONDS = "MAAS_IDLE_TIMEOUT_SECONDS";

  public static final String REQUEST_READ_TIMEOUT_SECONDS = "--request-read-timeout-seconds";
  public static final String ENV_REQUEST_READ_TIMEOUT_SECONDS = "MAAS_REQUEST_READ_TIMEOUT_SECONDS";

  public static final String DRAIN_TIMEOUT_SECONDS = "--drain-timeout-seconds";
  public static final String ENV_DRAIN_TIMEOUT_SECONDS = "MAAS_DRAIN_TIMEOUT_SECONDS";

  /**
   * How long the server sends its own inference endpoint requests before it reports ready, so that
   * the first clients meet compiled code; 0 turns it off.
   */
  public static final String WARM_UP_SECONDS = "--warm-up-seconds";

  public static final String ENV_WARM_UP_SECONDS = "MAAS_WARM_UP_SECONDS";

  /** Shared by serve and compress: downloaded artifacts. */
  public static final String CACHE_DIR = "--cache-dir";

  public static final String ENV_CACHE_DIR = "MAAS_CACHE_DIR";

  /**
   * A {@link ShadowSettings} file the runtime watches while it serves (a key of a mounted
   * ConfigMap): whom to mirror a sample of the answered requests to. Absent or empty: no mirroring.
   */
  public static final String SHADOW_CONFIG = "--shadow-config";

  public static final String ENV_SHADOW_CONFIG = "MAAS_SHADOW_CONFIG";

  /**
   * A directory of API keys, the layout of a mounted Secret: each file one key, its name the key's
   * name. Set: every model endpoint needs {@code Authorization: Bearer <key>}.
   */
  public static final String API_KEYS = "--api-keys";

  public static final String ENV_API_KEYS = "MAAS_API_KEYS";

  /**
   * PEM certificate chain and private key (a mounted {@code kubernetes.io/tls} Secret's {@code
   * tls.crt} and {@code tls.key}): set both, and the port speaks HTTPS only.
   */
  public static final String TLS_CERT = "--tls-cert";

  public static final String ENV_TLS_CERT = "MAAS_TLS_CERT";
  public static final String TLS_KEY = "--tls-key";
  public static final String ENV_TLS_KEY = "MAAS_TLS_KEY";

  /**
   * The key of an encrypted artifact (a Tink keyset file, from a mounted Secret): serve decrypts
   * the artifact into {@link #DECRYPTED_DIR} (memory), loads it, and deletes the plaintext.
   */
  public static final String MODEL_KEY = "--model-key";

  public static final String ENV_MODEL_KEY = "MAAS_MODEL_KEY";

  /** Where a decrypted artifact lies while it loads: a memory-backed directory. */
  public static final String DECRYPTED_DIR = "--decrypted-dir";

  public static final String ENV_DECRYPTED_DIR = "MAAS_DECRYPTED_DIR";

  /**
   * {@code [NAMESPACE/]NAME} of the ModelDeployment (without a namespace: the pod's own, from the
   * {@code namespace} file beside the service-account token): model endpoints then also take a
   * Kubernetes service-account token, allowed when a TokenReview authenticates it and a
   * SubjectAccessReview says its user may {@code get} {@code modeldeployments/infer} of that name
   * in that namespace.
   */
  public static final String KUBERNETES_AUTH = "--kubernetes-auth";

  public static final String ENV_KUBERNETES_AUTH = "MAAS_KUBERNETES_AUTH";

  /**
   * The API server the reviews go to; default {@code https://$KUBERNETES_SERVICE_HOST:
   * $KUBERNETES_SERVICE_PORT}, as in every pod.
   */
  public static final String KUBERNETES_API = "--kubernetes-api";

  public static final String ENV_KUBERNETES_API = "MAAS_KUBERNETES_API";

  /** The runtime's own token for the reviews; default the pod's service-account token. */
  public static final String KUBERNETES_TOKEN_FILE = "--kubernetes-token-file";

  public static final String ENV_KUBERNETES_TOKEN_FILE = "MAAS_KUBERNETES_TOKEN_FILE";

  /** The API server's CA bundle; default the pod's service-account {@code ca.crt}. */
  public static final String KUBERNETES_CA_FILE = "--kubernetes-ca-file";

  public static final String ENV_KUBERNETES_CA_FILE = "MAAS_KUBERNETES_CA_FILE";

  /** Where kubelet mounts a pod's service-account token, CA and namespace. */
  public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  private ServeFlags() {}
}
