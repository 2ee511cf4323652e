package dev.maas.operator.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import org.slf4j.Marker;

/**
 * Lets through, at INFO and above, the one line the Kubernetes client logs (at DEBUG) when a watch
 * is lost and when one starts again: without them, an API server restart shows in the log only as
 * the errors of the connections it dropped, and its end not at all. Everything else the client logs
 * at DEBUG stays out.
 */
public final class WatchReconnects extends TurboFilter {
  private static final Map<String, String> LINES =
      Map.of(
          "io.fabric8.kubernetes.client.dsl.internal.AbstractWatchManager",
          "Scheduling reconnect task",
          "io.fabric8.kubernetes.client.informers.impl.cache.Reflector",
          "Watch ");

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (format == null || level != Level.DEBUG) {
      return FilterReply.NEUTRAL;
    }
    String prefix = LINES.get(logger.getName());
    if (prefix != null && format.startsWith(prefix) && !format.startsWith("Watch gracefully")) {
      return FilterReply.ACCEPT;
    }
    return FilterReply.NEUTRAL;
  }
}
