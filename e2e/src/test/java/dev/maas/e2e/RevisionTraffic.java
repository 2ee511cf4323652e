package dev.maas.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that sends the held-out digits one per request through the service proxy, one connection
 * per request (as kube-proxy routes connections), and counts every answer by the revision that gave
 * it (the response's model_version) and every failure by its status.
 */
final class RevisionTraffic implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Counts at one moment. */
  record Counts(Map<String, Long> answers, Map<String, Long> failures) {
    long answersFrom(long revision) {
      return answers.getOrDefault(Long.toString(revision), 0L);
    }

    long total() {
      return answers.values().stream().mapToLong(Long::longValue).sum()
          + failures.values().stream().mapToLong(Long::longValue).sum();
    }

    long failed() {
      return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    /** What happened between {@code before} and this. */
    Counts since(Counts before) {
      Map<String, Long> a = new TreeMap<>(answers);
      before.answers.forEach((k, v) -> a.merge(k, -v, Long::sum));
      Map<String, Long> f = new TreeMap<>(failures);
      before.failures.forEach((k, v) -> f.merge(k, -v, Long::sum));
      return new Counts(a, f);
    }
  }

  private final String inferUrl;
  private final HeldOutDigits digits;
  private final HttpClient http;
  private final String authorization;
  private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  RevisionTraffic(String inferUrl, HeldOutDigits digits) {
    this(inferUrl, digits, null, null);
  }

  /**
   * To a protected model: HTTPS trusting {@code tls}'s CA (null: plain HTTP) and this {@code
   * Authorization} value on every request (null: none).
   */
  RevisionTraffic(
      String inferUrl, HeldOutDigits digits, javax.net.ssl.SSLContext tls, String authorization) {
    this.inferUrl = inferUrl;
    this.digits = digits;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3));
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.http = builder.build();
    this.authorization = authorization;
    this.thread = new Thread(this::loop, "revision-traffic");
    thread.start();
  }

  private void loop() {
    int row = 0;
    while (running) {
      String body = digits.request(row, 1);
      row = (row + 1) % digits.size();
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(inferUrl))
                .timeout(Duration.ofSeconds(10))
                .header("Connection", "close")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
          request.header("Authorization", authorization);
        }
        HttpResponse<String> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          JsonNode answer = JSON.readTree(response.body());
          count(answers, answer.path("model_version").asText("?"));
        } else {
          count(failures, Integer.toString(response.statusCode()));
        }
      } catch (IOException e) {
        count(failures, e.getClass().getSimpleName());
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void count(Map<String, AtomicLong> counts, String key) {
    counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  Counts counts() {
    Map<String, Long> a = new TreeMap<>();
    answers.forEach((k, v) -> a.put(k, v.get()));
    Map<String, Long> f = new TreeMap<>();
    failures.forEach((k, v) -> f.put(k, v.get()));
    return new Counts(a, f);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(15_000);
  }
}
