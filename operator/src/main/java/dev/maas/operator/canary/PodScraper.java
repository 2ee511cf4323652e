package dev.maas.operator.canary;

import java.util.Map;

/** Reads runtime pods' {@code /metrics}. */
public interface PodScraper {
  /**
   * @param addresses pod name to pod IP
   * @return pod name to its metrics, for the pods that answered; a pod that did not is left out
   */
  Map<String, PodMetrics> scrape(Map<String, String> addresses);
}
