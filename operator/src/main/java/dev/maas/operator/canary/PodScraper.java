package dev.maas.operator.canary;

import java.util.Map;

/** Reads runtime pods' {@code /metrics}. */
public interface PodScraper {
  /**
   * @param addresses pod name to the base URL of its serving port ({@code http://ip:8080}, or
   *     {@code https://} where the pods serve TLS)
   * @return pod name to its metrics, for the pods that answered; a pod that did not is left out
   */
  Map<String, PodMetrics> scrape(Map<String, String> addresses);
}
