package dev.maas.contract;

/**
 * Names of the runtime's Prometheus metrics that the operator reads from pods to judge a canary
 * (and that alerting rules use), written once so neither side can rename one alone.
 */
public final class RuntimeMetrics {
  /** Counter, labels {@code model}, {@code outcome}: {@link #OUTCOME_OK} or an error's name. */
  public static final String REQUESTS = "maas_requests_total";

  /** Histogram, label {@code model}: arrival to response written. */
  public static final String REQUEST_DURATION = "maas_request_duration_seconds";

  public static final String OUTCOME_OK = "ok";
  public static final String OUTCOME_BAD_REQUEST = "bad_request";
  public static final String OUTCOME_NOT_FOUND = "not_found";

  /** HTTP 500: the model or the server failed on the request. */
  public static final String OUTCOME_ERROR = "error";

  /** HTTP 503: the model is not loaded, or ran out of resources. */
  public static final String OUTCOME_UNAVAILABLE = "unavailable";

  /** HTTP 503: the queue was full. */
  public static final String OUTCOME_OVERLOADED = "overloaded";

  /** HTTP 401: no credential, or one that is not known (only with authentication on). */
  public static final String OUTCOME_UNAUTHENTICATED = "unauthenticated";

  /** HTTP 403: a known caller without permission for this model. */
  public static final String OUTCOME_FORBIDDEN = "forbidden";

  /**
   * Counter, labels {@code model}, {@code caller}, {@code outcome}: inference requests of
   * authenticated callers, by the caller's name (an API key's name or a service account), never the
   * credential.
   */
  public static final String CALLER_REQUESTS = "maas_caller_requests_total";

  /**
   * Counter, labels {@code model}, {@code reason} ({@link #OUTCOME_UNAUTHENTICATED} or {@link
   * #OUTCOME_FORBIDDEN}): requests to any model endpoint refused by access control.
   */
  public static final String DENIED_REQUESTS = "maas_denied_requests_total";

  /** Outcomes that are the server's fault (HTTP 5xx), as against the client's (4xx). */
  public static final java.util.Set<String> SERVER_ERROR_OUTCOMES =
      java.util.Set.of(OUTCOME_ERROR, OUTCOME_UNAVAILABLE, OUTCOME_OVERLOADED);

  /**
   * Counter, labels {@code candidate}, {@code result}: mirrored requests by what became of them
   * ({@link #SHADOW_COMPARED}, {@link #SHADOW_CANDIDATE_ERROR}, {@link #SHADOW_UNREACHABLE}, {@link
   * #SHADOW_DROPPED}).
   */
  public static final String SHADOW_REQUESTS = "maas_shadow_requests_total";

  public static final String SHADOW_COMPARED = "compared";
  public static final String SHADOW_CANDIDATE_ERROR = "candidate_error";
  public static final String SHADOW_UNREACHABLE = "unreachable";
  public static final String SHADOW_DROPPED = "dropped";

  /** Counter, label {@code candidate}: rows whose first output has classes, compared by top-1. */
  public static final String SHADOW_TOP1_ROWS = "maas_shadow_top1_rows_total";

  /** Counter, label {@code candidate}: of those, rows where both models chose the same class. */
  public static final String SHADOW_TOP1_AGREEMENTS = "maas_shadow_top1_agreements_total";

  /** Gauge, label {@code candidate}: the largest absolute difference of any output element. */
  public static final String SHADOW_ABS_ERROR_MAX = "maas_shadow_abs_error_max";

  /** Counter, label {@code candidate}: the sum of absolute differences over compared elements. */
  public static final String SHADOW_ABS_ERROR_SUM = "maas_shadow_abs_error_total";

  /** Counter, label {@code candidate}: compared output elements. */
  public static final String SHADOW_ELEMENTS = "maas_shadow_elements_total";

  private RuntimeMetrics() {}
}
