package dev.maas.operator.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.operator.resolve.HubPins;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the Hub which commit a branch or tag names ({@code GET /api/models/{repo}/revision/{rev}},
 * as huggingface_hub's model_info does), anonymously: the operator reads no Secret, so a private or
 * gated repository stays unresolved and its pods fetch what the branch names when they start.
 * Answers are kept, and asked again every {@code refresh}: a reconcile does not wait on the Hub,
 * and a Hub that is down keeps the last commit known rather than flipping the revision.
 */
public final class HubRevisions implements HubPins {
  private static final Logger LOG = LoggerFactory.getLogger(HubRevisions.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Known(Optional<String> commit, Instant asked) {}

  private final HttpClient http;
  private final Duration refresh;
  private final Duration timeout;
  private final Clock clock;
  private final ConcurrentMap<String, Known> known = new ConcurrentHashMap<>();

  public HubRevisions(Duration refresh, Duration timeout, Clock clock) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.refresh = refresh;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public Optional<String> commit(String endpoint, String repo, String revision) {
    String key = endpoint + " " + repo + " " + revision;
    Known last = known.get(key);
    Instant now = clock.instant();
    if (last != null && last.asked().plus(refresh).isAfter(now)) {
      return last.commit();
    }
    Optional<String> asked = ask(endpoint, repo, revision);
    // A failed lookup keeps the commit known before it.
    Optional<String> commit = asked.or(() -> last == null ? Optional.empty() : last.commit());
    known.put(key, new Known(commit, now));
    return commit;
  }

  private Optional<String> ask(String endpoint, String repo, String revision) {
    String base = endpoint.endsWith("/") ? endpoint : endpoint + "/";
    URI uri =
        URI.create(
            base
                + "api/models/"
                + repo
                + "/revision/"
                + URLEncoder.encode(revision, StandardCharsets.UTF_8).replace("+", "%20"));
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(timeout)
                  .header("User-Agent", "maas-operator")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        LOG.info(
            "hf://{}@{}: the Hub answered {} (private or gated repositories are not resolved)",
            repo,
            revision,
            response.statusCode());
        return Optional.empty();
      }
      JsonNode sha = JSON.readTree(response.body()).get("sha");
      return sha != null && HubPins.COMMIT.matcher(sha.asText()).matches()
          ? Optional.of(sha.asText())
          : Optional.empty();
    } catch (IOException e) {
      LOG.info("hf://{}@{}: cannot reach the Hub: {}", repo, revision, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
