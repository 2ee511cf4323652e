package dev.maas.runtime.source;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an artifact lives, parsed once from what the user wrote: a local file, an http(s) URL, an
 * S3 object or a file of a Hugging Face Hub repository. Every fetch error names {@link #written()},
 * the location as the user wrote it.
 */
public sealed interface SourceUri {
  String written();

  /** The file name's extension (".pt", ".maas"), which the cached copy keeps. */
  default String suffix() {
    String path = pathForSuffix();
    int dot = path.lastIndexOf('.');
    int slash = path.lastIndexOf('/');
    return dot > slash && path.length() - dot <= 8 ? path.substring(dot) : ".pt";
  }

  String pathForSuffix();

  /** A path on this machine, or a {@code file:} URI. */
  record Local(String written, Path path) implements SourceUri {
    @Override
    public String pathForSuffix() {
      return path.toString();
    }
  }

  record Web(String written, URI uri) implements SourceUri {
    @Override
    public String pathForSuffix() {
      return uri.getPath() == null ? "" : uri.getPath();
    }
  }

  /** {@code s3://bucket/key}. */
  record S3(String written, String bucket, String key) implements SourceUri {
    @Override
    public String pathForSuffix() {
      return key;
    }
  }

  /**
   * {@code hf://org/repo/path/in/repo@revision}: revision is a commit, branch or tag; absent, the
   * Hub's default branch ({@code main}), which is not reproducible.
   */
  record Hub(String written, String repo, String path, Optional<String> revision)
      implements SourceUri {
    @Override
    public String pathForSuffix() {
      return path;
    }

    public String revisionOrMain() {
      return revision.orElse("main");
    }
  }

  /**
   * @throws InvalidSourceException naming the location and what is wrong with it
   */
  static SourceUri parse(String location) {
    if (location == null || location.isBlank()) {
      throw new InvalidSourceException("the model location is empty");
    }
    int colon = location.indexOf("://");
    String scheme = colon < 0 ? "" : location.substring(0, colon);
    String rest = colon < 0 ? location : location.substring(colon + 3);
    return switch (scheme) {
      case "http", "https" -> web(location);
      case "file" -> file(location);
      case "s3" -> s3(location, rest);
      case "hf" -> hub(location, rest);
      case "oci" ->
          throw new InvalidSourceException(
              location
                  + ": an oci:// artifact is mounted by Kubernetes as an image volume, not fetched"
                  + " by the runtime; outside a cluster, pull the image (oras pull, crane export)"
                  + " and pass the file's path");
      case "gs" ->
          throw new InvalidSourceException(
              location
                  + ": read Google Cloud Storage through its S3-compatible API: s3://BUCKET/KEY"
                  + " with AWS_ENDPOINT_URL_S3=https://storage.googleapis.com and HMAC keys");
      case "" ->
          location.startsWith("file:") ? file(location) : new Local(location, Path.of(location));
      default ->
          throw new InvalidSourceException(
              location
                  + ": unsupported scheme "
                  + scheme
                  + "://; use a path, file:, http(s)://, s3:// or hf://");
    };
  }

  private static SourceUri web(String location) {
    try {
      URI uri = URI.create(location);
      if (uri.getHost() == null) {
        throw new InvalidSourceException(location + ": the URL names no host");
      }
      return new Web(location, uri);
    } catch (IllegalArgumentException e) {
      throw new InvalidSourceException(location + ": not a URL (" + e.getMessage() + ")");
    }
  }

  private static SourceUri file(String location) {
    try {
      return new Local(location, Path.of(URI.create(location)));
    } catch (IllegalArgumentException e) {
      throw new InvalidSourceException(location + ": not a file URI (" + e.getMessage() + ")");
    }
  }

  private static SourceUri s3(String location, String rest) {
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new InvalidSourceException(location + ": an S3 location is s3://BUCKET/KEY");
    }
    return new S3(location, rest.substring(0, slash), rest.substring(slash + 1));
  }

  private static SourceUri hub(String location, String rest) {
    int at = rest.lastIndexOf('@');
    Optional<String> revision = Optional.empty();
    String repoAndPath = rest;
    if (at >= 0) {
      revision = Optional.of(rest.substring(at + 1)).filter(r -> !r.isEmpty());
      repoAndPath = rest.substring(0, at);
      if (revision.isEmpty()) {
        throw new InvalidSourceException(location + ": nothing follows '@'; name a revision");
      }
    }
    String[] parts = repoAndPath.split("/", 3);
    if (parts.length < 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new InvalidSourceException(
          location + ": a Hugging Face location is hf://ORG/REPO/PATH/IN/REPO[@REVISION]");
    }
    return new Hub(location, parts[0] + "/" + parts[1], parts[2], revision);
  }
}
