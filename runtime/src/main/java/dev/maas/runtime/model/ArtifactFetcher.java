package dev.maas.runtime.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Resolves a model location (a local path, {@code file:}, or an http(s) URI) to a verified local
 * file. Downloads stream to a temporary file while being hashed and are renamed into the cache only
 * when the digest matches, so a failed or tampered download never looks like a cached artifact.
 */
public final class ArtifactFetcher {
  private final Path cacheDir;
  private final HttpClient http;

  public ArtifactFetcher(Path cacheDir) {
    this.cacheDir = cacheDir;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
  }

  /** A fetched artifact and the digest it was verified against (or computed, when none given). */
  public record Artifact(Path path, String sha256, long bytes) {}

  public Artifact fetch(String location, Optional<String> expectedSha256) {
    Optional<String> expected = expectedSha256.map(s -> s.toLowerCase(Locale.ROOT));
    expected.ifPresent(ArtifactFetcher::checkDigestFormat);
    try {
      if (location.startsWith("http://") || location.startsWith("https://")) {
        return download(URI.create(location), expected);
      }
      Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
      if (!Files.isRegularFile(path)) {
        throw new ArtifactException(
            "model artifact " + location + " does not exist or is not a file");
      }
      String actual = Sha256.of(path);
      verify(location, expected, actual);
      return new Artifact(path, actual, Files.size(path));
    } catch (IOException e) {
      throw new ArtifactException(
          "cannot read model artifact " + location + ": " + IoErrors.describe(e), e);
    } catch (IllegalArgumentException e) {
      throw new ArtifactException("invalid model location " + location + ": " + e.getMessage(), e);
    }
  }

  private Artifact download(URI uri, Optional<String> expected) throws IOException {
    Files.createDirectories(cacheDir);
    if (expected.isPresent()) {
      Path cached = cacheDir.resolve(expected.get() + suffixOf(uri));
      if (Files.isRegularFile(cached) && Sha256.of(cached).equals(expected.get())) {
        return new Artifact(cached, expected.get(), Files.size(cached));
      }
    }
    Path partial = Files.createTempFile(cacheDir, "download-", ".partial");
    try {
      HttpResponse<InputStream> response;
      try {
        response =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ArtifactException("interrupted while downloading " + uri, e);
      }
      if (response.statusCode() != 200) {
        response.body().close();
        throw new ArtifactException(
            "downloading " + uri + " failed: HTTP " + response.statusCode());
      }
      MessageDigest digest = Sha256.newDigest();
      long bytes = 0;
      try (InputStream in = response.body();
          OutputStream out = Files.newOutputStream(partial)) {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
          digest.update(buffer, 0, n);
          out.write(buffer, 0, n);
          bytes += n;
        }
      }
      String actual = Sha256.hex(digest.digest());
      verify(uri.toString(), expected, actual);
      Path target = cacheDir.resolve(actual + suffixOf(uri));
      Files.move(
          partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Artifact(target, actual, bytes);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private static String suffixOf(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    int dot = path.lastIndexOf('.');
    int slash = path.lastIndexOf('/');
    return dot > slash && path.length() - dot <= 8 ? path.substring(dot) : ".pt";
  }

  private static void verify(String location, Optional<String> expected, String actual) {
    if (expected.isPresent() && !expected.get().equals(actual)) {
      throw new ArtifactException(
          "sha256 mismatch for "
              + location
              + ": expected "
              + expected.get()
              + " but the artifact has "
              + actual
              + "; refusing to use it");
    }
  }

  private static void checkDigestFormat(String sha256) {
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new ArtifactException(
          "--sha256 must be 64 hexadecimal characters, got '" + sha256 + "'");
    }
  }
}
