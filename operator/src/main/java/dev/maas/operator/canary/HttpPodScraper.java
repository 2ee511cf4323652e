package dev.maas.operator.canary;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pods' {@code /metrics} directly at their addresses, all at once, each within {@link
 * #TIMEOUT}: no Prometheus needed. A pod that does not answer in time is left out of this reading
 * (its counts are read next time; none are lost, since they only grow). Pods that serve HTTPS are
 * read over HTTPS without checking their certificate, as kubelet probes them: the operator cannot
 * read the TLS Secret (it reads no Secrets), sends no credential, and /metrics holds no secret;
 * what it forgoes is only the assurance that the numbers come from the pod at that address.
 */
public final class HttpPodScraper implements PodScraper {
  private static final Logger LOG = LoggerFactory.getLogger(HttpPodScraper.class);
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  private final HttpClient unverifiedTls =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(TIMEOUT)
          .sslContext(UnverifiedTls.context())
          .build();

  @Override
  public Map<String, PodMetrics> scrape(Map<String, String> addresses) {
    Map<String, CompletableFuture<HttpResponse<String>>> pending = new HashMap<>();
    addresses.forEach(
        (pod, base) ->
            pending.put(
                pod,
                (base.startsWith("https:") ? unverifiedTls : client)
                    .sendAsync(
                        HttpRequest.newBuilder(URI.create(base + "/metrics"))
                            .timeout(TIMEOUT)
                            .GET()
                            .build(),
                        HttpResponse.BodyHandlers.ofString())));
    Map<String, PodMetrics> read = new HashMap<>();
    pending.forEach(
        (pod, future) -> {
          try {
            HttpResponse<String> response =
                future.get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            if (response.statusCode() == 200) {
              read.put(pod, PodMetrics.parse(response.body()));
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            LOG.debug("metrics of pod {} not read: {}", pod, e.toString());
            future.cancel(true);
          }
        });
    return read;
  }
}
