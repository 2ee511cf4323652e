package dev.maas.runtime.source;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 client configured as the AWS SDK's users expect from its standard settings, plus what
 * S3-compatible servers need: an endpoint, path-style addressing (always for an IP address or
 * localhost, which have no bucket subdomains), a CA bundle, and checksums only where the server
 * requires them (many compatible servers reject the SDK's newer default checksums; the artifact's
 * sha256 is checked anyway). The SDK does not retry: {@link ResumableDownload} retries every scheme
 * the same way and resumes where the SDK would start over.
 */
final class S3Clients {
  private S3Clients() {}

  /** The client and the provider it signs with, and how to name that provider in errors. */
  record Configured(S3Client client, AwsCredentialsProvider credentials, String credentialsName) {}

  static Configured of(SourceSettings settings) {
    AwsCredentialsProvider credentials =
        settings.credentialsDir().isPresent()
            ? new MountedAwsCredentials(settings.credentialsDir().get())
            : DefaultCredentialsProvider.builder().build();
    String credentialsName =
        settings
            .credentialsDir()
            .map(dir -> dir + " (the credentials Secret)")
            .orElse("the AWS SDK's default chain (AWS_ACCESS_KEY_ID, shared files, web identity)");
    UrlConnectionHttpClient.Builder http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Sources.CONNECT_TIMEOUT)
            .socketTimeout(Sources.READ_TIMEOUT);
    settings
        .caBundle()
        .ifPresent(
            bundle -> {
              var trust = CaBundle.trustManagers(bundle);
              http.tlsTrustManagersProvider(() -> trust);
            });
    var endpoint = settings.s3Endpoint();
    var builder =
        S3Client.builder()
            .httpClientBuilder(http)
            .credentialsProvider(credentials)
            .region(region(settings, endpoint.isPresent()))
            .forcePathStyle(
                settings.s3PathStyle() || endpoint.map(S3Clients::noSubdomains).orElse(false))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    endpoint.ifPresent(builder::endpointOverride);
    return new Configured(builder.build(), credentials, credentialsName);
  }

  /**
   * {@code AWS_REGION}, else the SDK's chain (profile, instance metadata); with an endpoint of
   * one's own, us-east-1, which S3-compatible servers accept whatever their region.
   */
  private static Region region(SourceSettings settings, boolean ownEndpoint) {
    if (settings.region().isPresent()) {
      return Region.of(settings.region().get());
    }
    if (ownEndpoint) {
      return Region.US_EAST_1;
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      throw new InvalidSourceException(
          "no AWS region: set AWS_REGION (spec.model.s3.region) or name an endpoint");
    }
  }

  /** An IP address or localhost: no bucket.HOST names exist for virtual-hosted addressing. */
  static boolean noSubdomains(URI endpoint) {
    String host = endpoint.getHost();
    return host.equalsIgnoreCase("localhost")
        || host.startsWith("[")
        || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }
}
