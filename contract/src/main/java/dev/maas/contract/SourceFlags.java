package dev.maas.contract;

import java.util.List;

/**
 * How {@code serve} and {@code compress} reach an artifact's source (s3://, hf://): their shared
 * flags with the environment variable of each, the files of a credentials Secret, and the standard
 * environment variables of the AWS SDK and the Hugging Face Hub client that the runtime reads as
 * those tools do. The operator renders exactly these, so neither side can rename one.
 */
public final class SourceFlags {
  /**
   * A directory of credential files (a mounted Secret): {@link #AWS_ACCESS_KEY_ID}, {@link
   * #AWS_SECRET_ACCESS_KEY} and optionally {@link #AWS_SESSION_TOKEN} for s3://, {@link #HF_TOKEN}
   * for hf://. Read at each fetch, so a rotated Secret is used without a restart. Absent: the SDKs'
   * own configuration (environment, shared files, web identity).
   */
  public static final String SOURCE_CREDENTIALS = "--source-credentials";

  public static final String ENV_SOURCE_CREDENTIALS = "MAAS_SOURCE_CREDENTIALS";

  /**
   * Path-style S3 addressing (https://endpoint/bucket/key) rather than virtual-hosted
   * (https://bucket.endpoint/key); always used when the endpoint is an IP address or localhost.
   */
  public static final String S3_PATH_STYLE = "--s3-path-style";

  public static final String ENV_S3_PATH_STYLE = "MAAS_S3_PATH_STYLE";

  /**
   * How many failures in a row without progress (5xx, timeouts, refused or broken connections) a
   * download survives before it gives up; a failure after progress resumes and does not count.
   */
  public static final String FETCH_RETRIES = "--fetch-retries";

  public static final String ENV_FETCH_RETRIES = "MAAS_FETCH_RETRIES";
  public static final int DEFAULT_FETCH_RETRIES = 7;

  // The credentials Secret's keys, named as the variables the tools read, so one Secret works for
  // the AWS CLI, the Hub's client and this runtime alike.
  public static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String AWS_SESSION_TOKEN = "AWS_SESSION_TOKEN";
  public static final String HF_TOKEN = "HF_TOKEN";

  /** The keys a credentials Secret may hold. */
  public static final List<String> CREDENTIAL_KEYS =
      List.of(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, HF_TOKEN);

  // The AWS SDK's standard settings (not secrets, so the operator may set them as env).
  public static final String ENV_AWS_REGION = "AWS_REGION";
  public static final String ENV_AWS_ENDPOINT_URL_S3 = "AWS_ENDPOINT_URL_S3";
  public static final String ENV_AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";

  /** A PEM file of the CA certificates that sign the S3 endpoint's (replaces the JDK's). */
  public static final String ENV_AWS_CA_BUNDLE = "AWS_CA_BUNDLE";

  /** The Hub's base URL, for mirrors; default {@link #DEFAULT_HF_ENDPOINT}. */
  public static final String ENV_HF_ENDPOINT = "HF_ENDPOINT";

  public static final String DEFAULT_HF_ENDPOINT = "https://huggingface.co";

  private SourceFlags() {}
}
