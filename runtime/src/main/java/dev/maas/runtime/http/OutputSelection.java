package dev.maas.runtime.http;

import dev.maas.runtime.batching.TensorDescription;
import dev.maas.runtime.protocol.BadRequestException;
import dev.maas.runtime.protocol.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's {@code outputs}: checked before the model runs (when its outputs are known) so that a
 * typo costs no forward pass, and applied to the answer; the same for REST and gRPC.
 */
public final class OutputSelection {
  private OutputSelection() {}

  /** Refuses a requested name the model does not have; no-op before the first answer. */
  public static void check(List<String> requested, List<TensorDescription> known) {
    if (requested.isEmpty() || known.isEmpty()) {
      return;
    }
    List<String> names = known.stream().map(TensorDescription::name).toList();
    for (String name : requested) {
      if (!names.contains(name)) {
        throw new BadRequestException("unknown output '" + name + "'; the model has " + names);
      }
    }
  }

  /** The requested outputs in the order asked; every output when none was named. */
  public static List<Tensor> select(List<Tensor> outputs, List<String> requested) {
    if (requested.isEmpty()) {
      return outputs;
    }
    List<Tensor> selected = new ArrayList<>(requested.size());
    for (String name : requested) {
      selected.add(
          outputs.stream()
              .filter(t -> t.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new BadRequestException(
                          "unknown output '"
                              + name
                              + "'; the model has "
                              + outputs.stream().map(Tensor::name).toList())));
    }
    return selected;
  }
}
