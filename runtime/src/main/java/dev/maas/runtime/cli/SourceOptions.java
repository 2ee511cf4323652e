package dev.maas.runtime.cli;

import dev.maas.contract.SourceFlags;
import dev.maas.runtime.source.ArtifactFetcher;
import dev.maas.runtime.source.RetryPolicy;
import dev.maas.runtime.source.SourceSettings;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How {@code serve} and {@code compress} reach a remote source: the same flags for both, which the
 * runtime pods and the prepare Job get from the same mounted Secret. Everything else comes from the
 * standard variables of the AWS SDK and the Hub's client ({@link SourceSettings}).
 */
final class SourceOptions {
  @Option(
      names = SourceFlags.SOURCE_CREDENTIALS,
      defaultValue = "${env:" + SourceFlags.ENV_SOURCE_CREDENTIALS + ":-}",
      description =
          "A directory of credential files (a mounted Secret): AWS_ACCESS_KEY_ID,"
              + " AWS_SECRET_ACCESS_KEY and optionally AWS_SESSION_TOKEN for s3://, HF_TOKEN for"
              + " hf://; read at each fetch. Absent: the AWS SDK's default chain (environment,"
              + " shared files, web identity) and HF_TOKEN (env MAAS_SOURCE_CREDENTIALS).")
  String credentials;

  @Option(
      names = SourceFlags.S3_PATH_STYLE,
      defaultValue = "${env:" + SourceFlags.ENV_S3_PATH_STYLE + ":-false}",
      description =
          "Path-style S3 addressing (ENDPOINT/BUCKET/KEY); always used for an endpoint that is an"
              + " IP address or localhost (env MAAS_S3_PATH_STYLE).")
  boolean s3PathStyle;

  @Option(
      names = SourceFlags.FETCH_RETRIES,
      defaultValue =
          "${env:" + SourceFlags.ENV_FETCH_RETRIES + ":-" + SourceFlags.DEFAULT_FETCH_RETRIES + "}",
      description =
          "Failures in a row without progress (5xx, timeouts, refused or broken connections) a"
              + " download survives, with exponential backoff from 0.5 s to 16 s between tries;"
              + " a failure after progress resumes at once and does not count (env"
              + " MAAS_FETCH_RETRIES).")
  int fetchRetries;

  /** How downloads retry: {@code --fetch-retries}, the default backoff. */
  ArtifactFetcher.Tuning tuning() {
    if (fetchRetries < 1) {
      throw new IllegalArgumentException(
          SourceFlags.FETCH_RETRIES + " must be at least 1, got " + fetchRetries);
    }
    RetryPolicy retry =
        new RetryPolicy(
            fetchRetries, RetryPolicy.DEFAULT.initialBackoff(), RetryPolicy.DEFAULT.maxBackoff());
    return new ArtifactFetcher.Tuning(
        retry,
        ArtifactFetcher.Tuning.DEFAULT.progressInterval(),
        ArtifactFetcher.Tuning.DEFAULT.progressLog());
  }

  SourceSettings settings() {
    return SourceSettings.fromEnvironment(
        credentials == null || credentials.isBlank()
            ? Optional.empty()
            : Optional.of(Path.of(credentials)),
        s3PathStyle);
  }
}
