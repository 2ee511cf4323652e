package dev.maas.runtime.compress;

import dev.maas.contract.PrepareReport.Acceptance;
import dev.maas.contract.ServingDefaults;
import java.util.Optional;

/**
 * The thresholds a compressed model must meet against the original. Without one, a compression that
 * destroyed the model would pass (Prune at 0.999 keeps 0.8% of the top-1 answers): when the first
 * output has a top-1 class, {@link ServingDefaults#MIN_TOP1_AGREEMENT} of the samples must keep
 * theirs unless the caller says otherwise. No default for the output error: its scale is the
 * model's.
 */
public record AcceptanceGate(Optional<Double> maxOutputError, Optional<Double> minTop1Agreement) {

  /** Why the measured result fails the gate; empty when it passes. */
  public Optional<String> violation(Acceptance result) {
    if (maxOutputError.isPresent() && result.maxOutputError() > maxOutputError.get()) {
      return Optional.of(
          String.format(
              "max output error %.6f exceeds --max-output-error %.6f",
              result.maxOutputError(), maxOutputError.get()));
    }
    if (minTop1Agreement.isPresent() && result.top1Agreement() == null) {
      return Optional.of(
          "--min-top1-agreement was given but the first output has one value per row, so it has"
              + " no top-1 class");
    }
    if (result.top1Agreement() != null) {
      double floor = minTop1Agreement.orElse(ServingDefaults.MIN_TOP1_AGREEMENT);
      if (result.top1Agreement() < floor) {
        return Optional.of(
            String.format(
                "top-1 agreement %.4f is below --min-top1-agreement %.4f%s",
                result.top1Agreement(),
                floor,
                minTop1Agreement.isPresent()
                    ? ""
                    : " (the default: set it, or 0 to accept any agreement)"));
      }
    }
    return Optional.empty();
  }
}
