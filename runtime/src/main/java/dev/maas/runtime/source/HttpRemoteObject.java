package dev.maas.runtime.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object behind an http(s) URL, read with ranges. Redirects are followed here rather than by the
 * client so that credentials go only to the host they were given for: the Hub redirects file
 * downloads to a CDN, which must never see the user's token. {@link HttpURLConnection} because its
 * read timeout applies to every read, so a server that stops sending mid-body is noticed and the
 * download resumed; the JDK's newer client has no such timeout for a streamed body.
 */
final class HttpRemoteObject implements RemoteObject {
  private static final int MAX_REDIRECTS = 8;

  /** The Hub's answer names the commit a branch or tag resolved to, before it redirects. */
  private static final String REPO_COMMIT = "X-Repo-Commit";

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  /** What the user should check when the server says 401/403 or 404, in their terms. */
  record Refusals(String denied, String notFound) {}

  private final String written;
  private final URI uri;
  private final Map<String, String> credentialHeaders;
  private final Refusals refusals;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  HttpRemoteObject(
      String written,
      URI uri,
      Map<String, String> credentialHeaders,
      Refusals refusals,
      Duration connectTimeout,
      Duration readTimeout) {
    this.written = written;
    this.uri = uri;
    this.credentialHeaders = Map.copyOf(credentialHeaders);
    this.refusals = refusals;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  @Override
  public Body open(long offset, Optional<String> version) throws FetchFailure {
    URI current = uri;
    Optional<String> commit = Optional.empty();
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpURLConnection connection = connect(current, offset, version);
      int status;
      try {
        status = connection.getResponseCode();
      } catch (IOException e) {
        connection.disconnect();
        throw FetchFailure.retryable(written + ": " + IoErrors.describe(e), e);
      }
      commit = commit.or(() -> Optional.ofNullable(connection.getHeaderField(REPO_COMMIT)));
      if (isRedirect(status)) {
        String location = connection.getHeaderField("Location");
        connection.disconnect();
        if (location == null) {
          throw FetchFailure.fatal(written + ": HTTP " + status + " without a Location");
        }
        current = current.resolve(location);
        continue;
      }
      if (status == 200 || status == 206) {
        return body(connection, status, commit);
      }
      connection.disconnect();
      if (status == 416 && offset > 0) {
        // The range lies past the end: the object shrank. Start again from its first byte.
        return open(0, Optional.empty());
      }
      throw refused(status);
    }
    throw FetchFailure.fatal(written + ": more than " + MAX_REDIRECTS + " redirects");
  }

  private HttpURLConnection connect(URI target, long offset, Optional<String> version)
      throws FetchFailure {
    try {
      HttpURLConnection connection = (HttpURLConnection) target.toURL().openConnection();
      connection.setInstanceFollowRedirects(false);
      connection.setConnectTimeout((int) connectTimeout.toMillis());
      connection.setReadTimeout((int) readTimeout.toMillis());
      connection.setRequestProperty("User-Agent", "maas-runtime");
      if (sameOrigin(target, uri)) {
        credentialHeaders.forEach(connection::setRequestProperty);
      }
      if (offset > 0) {
        connection.setRequestProperty("Range", "bytes=" + offset + "-");
        version.ifPresent(v -> connection.setRequestProperty("If-Range", v));
      }
      return connection;
    } catch (IOException | IllegalArgumentException e) {
      throw FetchFailure.fatal(written + ": cannot open " + target + ": " + e.getMessage());
    }
  }

  private Body body(HttpURLConnection connection, int status, Optional<String> commit)
      throws FetchFailure {
    long start = 0;
    long total = connection.getContentLengthLong();
    if (status == 206) {
      Matcher range =
          CONTENT_RANGE.matcher(String.valueOf(connection.getHeaderField("Content-Range")));
      if (!range.matches()) {
        connection.disconnect();
        throw FetchFailure.retryable(written + ": a partial answer without a Content-Range", null);
      }
      start = Long.parseLong(range.group(1));
      total = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
    }
    try {
      InputStream stream = connection.getInputStream();
      return new Body(
          stream, start, total, Optional.ofNullable(connection.getHeaderField("ETag")), commit);
    } catch (IOException e) {
      connection.disconnect();
      throw FetchFailure.retryable(written + ": " + IoErrors.describe(e), e);
    }
  }

  private FetchFailure refused(int status) {
    String what = written + ": HTTP " + status;
    if (status == 408 || status == 429 || status >= 500) {
      return FetchFailure.retryable(what, null);
    }
    if (status == 401 || status == 403) {
      return FetchFailure.fatal(what + ", access denied; " + refusals.denied());
    }
    if (status == 404 || status == 410) {
      return FetchFailure.fatal(what + ", not found; " + refusals.notFound());
    }
    return FetchFailure.fatal(what);
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }
}
