package dev.maas.runtime.source;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 object read with ranged GETs through the AWS SDK; a resumed read asks for the same ETag
 * ({@code If-Match}), so a replaced object is read again from its start rather than spliced.
 */
final class S3RemoteObject implements RemoteObject {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final SourceUri.S3 location;
  private final S3Client client;
  private final AwsCredentialsProvider credentials;
  private final String credentialsName;

  S3RemoteObject(
      SourceUri.S3 location,
      S3Client client,
      AwsCredentialsProvider credentials,
      String credentialsName) {
    this.location = location;
    this.client = client;
    this.credentials = credentials;
    this.credentialsName = credentialsName;
  }

  @Override
  public Body open(long offset, Optional<String> version) throws FetchFailure {
    try {
      credentials.resolveCredentials();
    } catch (SdkException e) {
      throw FetchFailure.fatal(
          location.written() + ": no S3 credentials from " + credentialsName + ": " + firstLine(e));
    }
    GetObjectRequest.Builder request =
        GetObjectRequest.builder().bucket(location.bucket()).key(location.key());
    if (offset > 0) {
      request.range("bytes=" + offset + "-");
      version.ifPresent(request::ifMatch);
    }
    try {
      ResponseInputStream<GetObjectResponse> stream = client.getObject(request.build());
      GetObjectResponse response = stream.response();
      long start = 0;
      long total = response.contentLength() == null ? -1 : response.contentLength();
      if (response.contentRange() != null) {
        Matcher range = CONTENT_RANGE.matcher(response.contentRange());
        if (range.matches()) {
          start = Long.parseLong(range.group(1));
          total = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
        }
      }
      return new Body(stream, start, total, Optional.ofNullable(response.eTag()), Optional.empty());
    } catch (S3Exception e) {
      if ((e.statusCode() == 412 || e.statusCode() == 416) && offset > 0) {
        // The object was replaced, or shrank, since the first bytes: read the new one whole.
        return open(0, Optional.empty());
      }
      throw refused(e);
    } catch (SdkClientException e) {
      throw FetchFailure.retryable(location.written() + ": " + firstLine(e), e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private FetchFailure refused(S3Exception e) {
    int status = e.statusCode();
    String code =
        e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
            ? ""
            : " " + e.awsErrorDetails().errorCode();
    String what = location.written() + ": HTTP " + status + code;
    if (status == 408 || status == 429 || status >= 500) {
      return FetchFailure.retryable(what, e);
    }
    if (status == 401 || status == 403) {
      return FetchFailure.fatal(
          what + ", access denied; check the credentials in " + credentialsName);
    }
    if (status == 404) {
      return FetchFailure.fatal(
          code.equals(" NoSuchBucket")
              ? what + ", no bucket " + location.bucket() + " at this endpoint"
              : what + ", no object " + location.key() + " in bucket " + location.bucket());
    }
    if (status == 301) {
      return FetchFailure.fatal(
          what + ", the bucket is in another region; set AWS_REGION (spec.model.s3.region)");
    }
    return FetchFailure.fatal(what + ": " + firstLine(e));
  }

  private static String firstLine(Exception e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
