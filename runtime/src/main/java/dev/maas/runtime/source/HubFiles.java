package dev.maas.runtime.source;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The Hugging Face Hub's download API: a repository file is {@code
 * {endpoint}/{repo}/resolve/{revision}/{path}}, the revision percent-encoded whole (a branch such
 * as {@code refs/pr/1} is one segment), the path segment by segment; a token goes as {@code
 * Authorization: Bearer}. The answer names the commit a branch resolved to ({@code X-Repo-Commit})
 * and usually redirects to a CDN, which must not get the token.
 */
final class HubFiles {
  private HubFiles() {}

  static URI resolveUrl(URI endpoint, SourceUri.Hub file) {
    StringBuilder path = new StringBuilder();
    for (String segment : file.path().split("/")) {
      path.append('/').append(encode(segment));
    }
    return endpoint.resolve(file.repo() + "/resolve/" + encode(file.revisionOrMain()) + path);
  }

  static Map<String, String> headers(Optional<String> token) {
    return token.map(t -> Map.of("Authorization", "Bearer " + t)).orElse(Map.of());
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
