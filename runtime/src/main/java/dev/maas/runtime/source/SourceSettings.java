package dev.maas.runtime.source;

import dev.maas.contract.SourceFlags;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach remote sources: the flags, and the standard variables the AWS SDK and the Hub's
 * client read ({@code AWS_ENDPOINT_URL_S3}, {@code AWS_REGION}, {@code AWS_CA_BUNDLE}, {@code
 * HF_ENDPOINT}, {@code HF_TOKEN}), read here from the environment given rather than from the
 * process's, so that tests can set them.
 *
 * @param credentialsDir a mounted credentials Secret; absent: the SDKs' own configuration
 * @param s3PathStyle path-style addressing asked for
 */
public record SourceSettings(
    Optional<Path> credentialsDir, boolean s3PathStyle, Map<String, String> env) {
  public SourceSettings {
    env = Map.copyOf(env);
  }

  public static SourceSettings fromEnvironment(Optional<Path> credentialsDir, boolean pathStyle) {
    return new SourceSettings(credentialsDir, pathStyle, System.getenv());
  }

  /** No credentials, no settings: plain http(s) and local files. */
  public static SourceSettings none() {
    return new SourceSettings(Optional.empty(), false, Map.of());
  }

  Optional<URI> s3Endpoint() {
    return variable(SourceFlags.ENV_AWS_ENDPOINT_URL_S3)
        .or(() -> variable(SourceFlags.ENV_AWS_ENDPOINT_URL))
        .map(
            endpoint -> {
              try {
                URI uri = URI.create(endpoint);
                if (uri.getScheme() == null || uri.getHost() == null) {
                  throw new IllegalArgumentException("expected https://HOST[:PORT]");
                }
                return uri;
              } catch (IllegalArgumentException e) {
                throw new InvalidSourceException(
                    "the S3 endpoint " + endpoint + " is not a URL: " + e.getMessage());
              }
            });
  }

  Optional<String> region() {
    return variable(SourceFlags.ENV_AWS_REGION).or(() -> variable("AWS_DEFAULT_REGION"));
  }

  Optional<Path> caBundle() {
    return variable(SourceFlags.ENV_AWS_CA_BUNDLE).map(Path::of);
  }

  URI hubEndpoint() {
    String endpoint = variable(SourceFlags.ENV_HF_ENDPOINT).orElse(SourceFlags.DEFAULT_HF_ENDPOINT);
    return URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/");
  }

  /** The Hub token: the credentials Secret's, else {@code HF_TOKEN} from the environment. */
  Optional<String> hubToken() {
    if (credentialsDir.isPresent()) {
      Path file = credentialsDir.get().resolve(SourceFlags.HF_TOKEN);
      if (Files.isRegularFile(file)) {
        try {
          return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
              .filter(s -> !s.isEmpty());
        } catch (IOException e) {
          throw new InvalidSourceException("cannot read " + file + ": " + e.getMessage());
        }
      }
    }
    return variable(SourceFlags.HF_TOKEN);
  }

  /** Where the credentials come from, in the words of an error message. */
  String credentialsName(String token) {
    return credentialsDir
        .map(dir -> dir.resolve(token) + " (the credentials Secret)")
        .orElse(token + " from the environment");
  }

  private Optional<String> variable(String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }
}
