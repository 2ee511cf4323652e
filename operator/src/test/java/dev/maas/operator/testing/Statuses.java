package dev.maas.operator.testing;

import dev.maas.operator.api.ModelDeployment;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Optional;

/** Reading a ModelDeployment's conditions in assertions. */
public final class Statuses {
  private Statuses() {}

  public static Optional<Condition> condition(ModelDeployment md, String type) {
    return md == null || md.getStatus() == null || md.getStatus().conditions() == null
        ? Optional.empty()
        : md.getStatus().conditions().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  public static boolean is(ModelDeployment md, String type, String status) {
    return condition(md, type).map(c -> c.getStatus().equals(status)).orElse(false);
  }
}
