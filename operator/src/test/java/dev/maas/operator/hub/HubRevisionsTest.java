package dev.maas.operator.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a stand-in for the Hub's model API ({@code GET /api/models/{repo}/revision/{rev}}
 * answering {@code {"sha": ...}}, as huggingface_hub's model_info reads it): it does not prove the
 * real Hub's rate limits or authentication, only the request and the reading of its answer.
 */
class HubRevisionsTest {
  private static final String MAIN_AT = "a".repeat(40);
  private static final String MOVED_TO = "b".repeat(40);

  private HttpServer hub;
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> main = new AtomicReference<>(MAIN_AT);
  private volatile boolean down;

  @BeforeEach
  void startTheHub() throws Exception {
    hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hub.createContext(
        "/api/models/",
        exchange -> {
          asked.add(exchange.getRequestURI().getRawPath());
          String path = exchange.getRequestURI().getRawPath();
          int status = 200;
          String body = "{\"id\":\"maas/digits\",\"sha\":\"" + main.get() + "\"}";
          if (down) {
            status = 503;
            body = "{}";
          } else if (path.startsWith("/api/models/maas/private/")) {
            status = 401;
            body = "{\"error\":\"Invalid username or password.\"}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    hub.start();
  }

  @AfterEach
  void stop() {
    hub.stop(0);
  }

  private String endpoint() {
    return "http://127.0.0.1:" + hub.getAddress().getPort();
  }

  @Test
  void aBranchResolvesToItsCommitAndIsAskedAgainOnlyAfterTheRefresh() {
    var now = new AtomicReference<>(Instant.parse("2026-12-02T10:00:00Z"));
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now.get();
          }
        };
    HubRevisions revisions = new HubRevisions(Duration.ofMinutes(10), Duration.ofSeconds(2), clock);
    assertThat(revisions.commit(endpoint(), "maas/digits", "refs/pr/1")).contains(MAIN_AT);
    assertThat(asked).containsExactly("/api/models/maas/digits/revision/refs%2Fpr%2F1");

    main.set(MOVED_TO);
    assertThat(revisions.commit(endpoint(), "maas/digits", "refs/pr/1"))
        .as("within the refresh: no request, the known commit")
        .contains(MAIN_AT);
    assertThat(asked).hasSize(1);

    now.set(now.get().plus(Duration.ofMinutes(11)));
    assertThat(revisions.commit(endpoint(), "maas/digits", "refs/pr/1")).contains(MOVED_TO);

    down = true;
    now.set(now.get().plus(Duration.ofMinutes(11)));
    assertThat(revisions.commit(endpoint(), "maas/digits", "refs/pr/1"))
        .as("a Hub that is down keeps the last commit known")
        .contains(MOVED_TO);
  }

  @Test
  void aPrivateRepositoryIsNotResolved() {
    assertThat(
            new HubRevisions(Duration.ofMinutes(10), Duration.ofSeconds(2), Clock.systemUTC())
                .commit(endpoint(), "maas/private", "main"))
        .isEmpty();
  }
}
