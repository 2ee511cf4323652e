package dev.maas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One check of a canary, as it was made. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryCheck(
    @JsonPropertyDescription("The step it was made at: 0 is the shadow step.") Integer step,
    @JsonPropertyDescription(
            "What was checked: top1Agreement, maxOutputError, errorRate, latencyP99Ratio,"
                + " latencyP99Millis, or manual.")
        String name,
    @JsonPropertyDescription("The measured value, when there was one.") Double value,
    @JsonPropertyDescription("The limit from the spec.") Double threshold,
    @JsonPropertyDescription("Pass, Fail, or Inconclusive (too little traffic to judge).")
        String verdict,
    @JsonPropertyDescription("What it was measured on.") String detail,
    @JsonPropertyDescription("When.") String at) {
  public static final String PASS = "Pass";
  public static final String FAIL = "Fail";
  public static final String INCONCLUSIVE = "Inconclusive";

  public boolean failed() {
    return FAIL.equals(verdict);
  }

  public boolean passed() {
    return PASS.equals(verdict);
  }

  /** One line: "errorRate 0.21 > 0.01 (Fail)". */
  public String describe() {
    if (value == null) {
      return name + ": " + detail + " (" + verdict + ")";
    }
    String comparison =
        threshold == null
            ? ""
            : (failed() ? (lowerIsWorse() ? " < " : " > ") : " within ") + fmt(threshold);
    return name
        + " "
        + fmt(value)
        + comparison
        + " ("
        + verdict
        + (detail == null ? "" : ", " + detail)
        + ")";
  }

  private boolean lowerIsWorse() {
    return "top1Agreement".equals(name);
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return Long.toString((long) v);
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }
}
