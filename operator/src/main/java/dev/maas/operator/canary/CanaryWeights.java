package dev.maas.operator.canary;

/**
 * How many candidate pods give a step's weight without a mesh: the stable Deployment keeps all its
 * pods (so an abort loses no capacity) and the candidate's pods join them behind the Service, so
 * the candidate's share is {@code c / (stable + c)}. {@code c} is the count nearest the weight, at
 * least one. With 2 stable pods, 10% and 25% both get one candidate pod (a third of traffic); with
 * 10, 10% is one pod (9%); the share is exact only where the pod counts allow it.
 */
public final class CanaryWeights {
  private CanaryWeights() {}

  public static int candidatePods(int weightPercent, int stablePods) {
    int stable = Math.max(1, stablePods);
    double exact = (double) weightPercent * stable / (100.0 - weightPercent);
    return Math.max(1, (int) Math.round(exact));
  }

  /**
   * Candidate pods where an HTTPRoute sets the weight: then the share is exact whatever the pods,
   * and the candidate needs only the pods to carry it, {@code ceil(weight * stable / 100)}, at
   * least one, as many pods per request as the stable Deployment has.
   */
  public static int routedCandidatePods(int weightPercent, int stablePods) {
    int stable = Math.max(1, stablePods);
    return Math.max(1, (int) Math.ceil(weightPercent * stable / 100.0));
  }

  /** The candidate's pods at a step: by pod share, or as many as a route's share needs. */
  public static int candidatePods(int weightPercent, int stablePods, boolean routed) {
    return routed
        ? routedCandidatePods(weightPercent, stablePods)
        : candidatePods(weightPercent, stablePods);
  }

  /** The candidate's share of ready pods, in percent. */
  public static int share(int candidateReady, int stableReady) {
    int total = candidateReady + stableReady;
    return total == 0 ? 0 : (int) Math.round(100.0 * candidateReady / total);
  }
}
