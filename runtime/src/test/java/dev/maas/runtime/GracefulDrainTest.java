package dev.maas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a real child process under load gets SIGTERM: readiness turns false, every request
 * it accepted is answered with 200, and it exits within the drain timeout.
 */
class GracefulDrainTest {
  private static final int CLIENTS = 16;

  @TempDir Path tmp;

  record Outcome(boolean sentBeforeSigterm, int status, String error) {}

  @Test
  void sigtermUnderLoadLosesNoAcceptedRequest() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path log = tmp.resolve("server.log");
    Process server =
        new ProcessBuilder(
                RuntimeProcess.command(
                    "serve",
                    "--grpc-port",
                    "0",
                    "--model",
                    TestModels.digitsCnn().toString(),
                    "--inputs",
                    "input:FP32:-1,1,8,8",
                    "--served-name",
                    "cnn",
                    "--port",
                    Integer.toString(port),
                    "--max-batch-size",
                    "16",
                    "--workers",
                    "1",
                    "--drain-timeout-seconds",
                    "20",
                    "--cache-dir",
                    tmp.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI base = URI.create("http://127.0.0.1:" + port);
    try {
      awaitReady(client, base, server, log);
      String data = String.join(",", Collections.nCopies(16 * 64, "0.25"));
      String body =
          "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[16,1,8,8],\"data\":["
              + data
              + "]}]}";
      AtomicBoolean sigtermSent = new AtomicBoolean();
      ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
      List<Thread> clients = new ArrayList<>();
      long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (int i = 0; i < CLIENTS; i++) {
        Thread t =
            new Thread(
                () -> {
                  while (System.nanoTime() < stopAt) {
                    boolean before = !sigtermSent.get();
                    try {
                      HttpResponse<String> response =
                          client.send(
                              HttpRequest.newBuilder(base.resolve("/v2/models/cnn/infer"))
                                  .timeout(Duration.ofSeconds(20))
                                  .POST(HttpRequest.BodyPublishers.ofString(body))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString());
                      outcomes.add(new Outcome(before, response.statusCode(), null));
                    } catch (ConnectException e) {
                      outcomes.add(new Outcome(before, 0, "refused"));
                      return; // the listener is closed: nothing more will be accepted
                    } catch (IOException e) {
                      outcomes.add(new Outcome(before, 0, e.toString()));
                      if (!server.isAlive()) {
                        return;
                      }
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
        clients.add(t);
        t.start();
      }
      Thread.sleep(1500);
      sigtermSent.set(true);
      long sigtermAt = System.nanoTime();
      server.destroy(); // SIGTERM
      assertThat(server.waitFor(25, TimeUnit.SECONDS))
          .as("exits within the drain timeout")
          .isTrue();
      long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigtermAt);
      for (Thread t : clients) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
      long answeredBefore =
          outcomes.stream().filter(o -> o.sentBeforeSigterm() && o.status() == 200).count();
      List<Outcome> failures =
          outcomes.stream()
              .filter(o -> o.status() != 200)
              .filter(o -> o.sentBeforeSigterm() || !"refused".equals(o.error()))
              .toList();
      assertThat(answeredBefore).as("the load was real").isGreaterThan(20);
      assertThat(failures)
          .as("accepted requests that failed; server log:\n" + java.nio.file.Files.readString(log))
          .isEmpty();
      assertThat(java.nio.file.Files.readString(log)).contains("draining: readiness is false");
      assertThat(exitMillis).isLessThan(20_000);
    } finally {
      server.destroyForcibly();
    }
  }

  private static void awaitReady(HttpClient client, URI base, Process server, Path log) {
    HttpRequest ready = HttpRequest.newBuilder(base.resolve("/v2/health/ready")).build();
    Awaitility.await("the server to be ready")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(IOException.class)
        .until(
            () -> {
              assertThat(server.isAlive())
                  .as("server process died: " + Files.readString(log))
                  .isTrue();
              return client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
  }
}
