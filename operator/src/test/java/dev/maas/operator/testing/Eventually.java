package dev.maas.operator.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The one way tests wait for an asynchronous system (controllers, pods, servers): Awaitility,
 * polling from the first instant. A condition that throws is "not yet" (the object may not exist
 * yet), except {@link IllegalStateException}, which means waiting cannot help and fails at once. A
 * timeout is an {@link AssertionError} that says what was awaited.
 */
public final class Eventually {
  private Eventually() {}

  public static void until(String what, Duration timeout, Callable<Boolean> condition) {
    until(() -> what, timeout, Duration.ofMillis(100), condition);
  }

  public static void until(
      Supplier<String> what, Duration timeout, Duration interval, Callable<Boolean> condition) {
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(interval)
          .ignoreExceptionsMatching(e -> !(e instanceof IllegalStateException))
          .until(condition);
    } catch (ConditionTimeoutException timedOut) {
      throw new AssertionError(
          "timed out after " + timeout + " waiting for " + what.get(), timedOut.getCause());
    }
  }

  /** The condition holds now and keeps holding for {@code quiet}: nothing more happens. */
  public static void stays(String what, Duration quiet, Callable<Boolean> condition) {
    try {
      Awaitility.await(what)
          .during(quiet)
          .atMost(quiet.plusSeconds(5))
          .pollInterval(Duration.ofMillis(100))
          .until(condition);
    } catch (ConditionTimeoutException changed) {
      throw new AssertionError("did not hold for " + quiet + ": " + what, changed);
    }
  }
}
