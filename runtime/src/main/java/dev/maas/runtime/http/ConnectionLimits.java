package dev.maas.runtime.http;

import java.time.Duration;

/**
 * What one client may hold of a pod: connections are not free (a socket, buffers, an event-loop
 * slot), so idle keep-alive connections and requests whose bytes trickle in are cut off, and the
 * number of connections is bounded.
 *
 * @param maxConnections beyond it a new connection gets 503 and is closed
 * @param idleTimeout a connection with no request in flight and no traffic this long is closed
 * @param requestReadTimeout a request must arrive whole within this time of its first byte (408)
 */
public record ConnectionLimits(
    int maxConnections, Duration idleTimeout, Duration requestReadTimeout) {
  public static final ConnectionLimits DEFAULTS =
      new ConnectionLimits(1024, Duration.ofSeconds(60), Duration.ofSeconds(30));

  public ConnectionLimits {
    if (maxConnections < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "--max-connections and --idle-timeout-seconds must be at least 1");
    }
    if (requestReadTimeout.isNegative() || requestReadTimeout.isZero()) {
      throw new IllegalArgumentException("--request-read-timeout-seconds must be at least 1");
    }
  }
}
