package dev.maas.operator.metrics;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.status.CanaryPhase;
import dev.maas.operator.api.status.ModelDeploymentStatus;
import dev.maas.operator.api.status.RolloutStatus;
import dev.maas.operator.decide.Decision;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-ModelDeployment rollout metrics, in the Prometheus text format, for dashboards and the
 * shipped alerting rules: where a canary is (phase, step, the candidate's measured share of
 * traffic), whether the ModelDeployment is Stalled, and counters of canary aborts, promotions and
 * rollbacks. Fed by the reconciler after each decision; a counter counts the reconcile in which its
 * outcome happened, which is exactly once per transition.
 */
public final class RolloutMetrics {
  private record Key(String namespace, String name) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = namespace.compareTo(o.namespace);
      return c != 0 ? c : name.compareTo(o.name);
    }

    String labels() {
      return "namespace=\"" + namespace + "\",name=\"" + name + "\"";
    }
  }

  private record State(
      Optional<RolloutStatus> rollout,
      boolean stalled,
      long aborts,
      long promotions,
      long rollbacks) {}

  private final Map<Key, State> states = new ConcurrentHashMap<>();

  /** What one reconcile decided and the status it wrote (or kept). */
  public void observe(ModelDeployment md, Decision decision, ModelDeploymentStatus status) {
    Key key = new Key(md.getMetadata().getNamespace(), md.getMetadata().getName());
    boolean stalled =
        Optional.ofNullable(status.conditions()).orElse(java.util.List.of()).stream()
            .anyMatch(c -> "Stalled".equals(c.getType()) && "True".equals(c.getStatus()));
    int abort = decision instanceof Decision.Abort ? 1 : 0;
    int promotion = decision instanceof Decision.Promote p && p.finished() ? 1 : 0;
    int rollback = decision instanceof Decision.RollBack ? 1 : 0;
    states.compute(
        key,
        (k, before) ->
            new State(
                Optional.ofNullable(status.rollout()),
                stalled,
                (before == null ? 0 : before.aborts()) + abort,
                (before == null ? 0 : before.promotions()) + promotion,
                (before == null ? 0 : before.rollbacks()) + rollback));
  }

  /** A spec the operator cannot serve is Stalled too. */
  public void stalled(ModelDeployment md, boolean stalled) {
    Key key = new Key(md.getMetadata().getNamespace(), md.getMetadata().getName());
    states.compute(
        key,
        (k, before) ->
            before == null
                ? new State(Optional.empty(), stalled, 0, 0, 0)
                : new State(
                    before.rollout(),
                    stalled,
                    before.aborts(),
                    before.promotions(),
                    before.rollbacks()));
  }

  public String scrape() {
    Map<Key, State> sorted = new TreeMap<>(states);
    StringBuilder out = new StringBuilder();
    out.append("# HELP maas_rollout_canary_phase The canary's phase: 1 for the current one.\n")
        .append("# TYPE maas_rollout_canary_phase gauge\n");
    sorted.forEach(
        (k, s) ->
            s.rollout()
                .ifPresent(
                    r -> {
                      for (CanaryPhase phase : CanaryPhase.values()) {
                        out.append("maas_rollout_canary_phase{")
                            .append(k.labels())
                            .append(",phase=\"")
                            .append(phase.name())
                            .append("\"} ")
                            .append(r.phase() == phase ? 1 : 0)
                            .append('\n');
                      }
                    }));
    gauge(
        out,
        sorted,
        "maas_rollout_canary_step",
        "The canary's step (0: shadow).",
        s -> s.rollout().map(r -> r.step()).orElse(null));
    gauge(
        out,
        sorted,
        "maas_rollout_canary_live_weight_percent",
        "The candidate's share of the ready pods behind the Service.",
        s -> s.rollout().map(r -> r.liveWeight()).orElse(null));
    gauge(
        out,
        sorted,
        "maas_rollout_stalled",
        "1 while the ModelDeployment is Stalled (kstatus).",
        s -> s.stalled() ? 1 : 0);
    counter(out, sorted, "maas_rollout_canary_aborts_total", "Canaries aborted.", State::aborts);
    counter(
        out,
        sorted,
        "maas_rollout_canary_promotions_total",
        "Canaries promoted.",
        State::promotions);
    counter(
        out,
        sorted,
        "maas_rollout_rollbacks_total",
        "Failed rolling updates put back to the last good revision.",
        State::rollbacks);
    return out.toString();
  }

  private static void gauge(
      StringBuilder out,
      Map<Key, State> states,
      String name,
      String help,
      java.util.function.Function<State, Integer> value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    states.forEach(
        (k, s) -> {
          Integer v = value.apply(s);
          if (v != null) {
            out.append(name).append('{').append(k.labels()).append("} ").append(v).append('\n');
          }
        });
  }

  private static void counter(
      StringBuilder out,
      Map<Key, State> states,
      String name,
      String help,
      java.util.function.ToLongFunction<State> value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    states.forEach(
        (k, s) ->
            out.append(name)
                .append('{')
                .append(k.labels())
                .append("} ")
                .append(value.applyAsLong(s))
                .append('\n'));
  }
}
