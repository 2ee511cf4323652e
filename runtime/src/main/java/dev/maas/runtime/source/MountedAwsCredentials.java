package dev.maas.runtime.source;

import dev.maas.contract.SourceFlags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * S3 credentials from a mounted Secret's files, named as the AWS CLI's variables. Read at every
 * request, so a rotated Secret (kubelet updates the files in place) is used at the next fetch; the
 * keys never pass through the environment, where every process in the pod could read them.
 */
final class MountedAwsCredentials implements AwsCredentialsProvider {
  private final Path dir;

  MountedAwsCredentials(Path dir) {
    this.dir = dir;
  }

  @Override
  public AwsCredentials resolveCredentials() {
    String accessKey = required(SourceFlags.AWS_ACCESS_KEY_ID);
    String secretKey = required(SourceFlags.AWS_SECRET_ACCESS_KEY);
    Optional<String> sessionToken = read(SourceFlags.AWS_SESSION_TOKEN);
    return sessionToken.isPresent()
        ? AwsSessionCredentials.create(accessKey, secretKey, sessionToken.get())
        : AwsBasicCredentials.create(accessKey, secretKey);
  }

  private String required(String name) {
    return read(name)
        .orElseThrow(
            () ->
                SdkClientException.create(
                    dir + " has no " + name + " (the credentials Secret needs that key)"));
  }

  private Optional<String> read(String name) {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
          .filter(s -> !s.isEmpty());
    } catch (IOException e) {
      throw SdkClientException.create("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
