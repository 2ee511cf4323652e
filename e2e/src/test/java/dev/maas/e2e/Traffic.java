package dev.maas.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that keeps sending inference requests through the service proxy, one connection per
 * request (so each request is routed to a pod that is ready at that moment, as kube-proxy routes
 * new connections), and counts every answer that is not a 200 with outputs.
 */
final class Traffic implements AutoCloseable {
  private final String inferUrl;
  private final String body;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(3))
          .build();
  private final AtomicInteger succeeded = new AtomicInteger();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  Traffic(String inferUrl, String body) {
    this.inferUrl = inferUrl;
    this.body = body;
    this.thread = new Thread(this::loop, "traffic");
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(inferUrl))
                    .timeout(Duration.ofSeconds(10))
                    .header("Connection", "close")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"outputs\"")) {
          succeeded.incrementAndGet();
        } else {
          failures.add(response.statusCode() + " " + response.body());
        }
      } catch (IOException e) {
        failures.add(e.toString());
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  int succeeded() {
    return succeeded.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
