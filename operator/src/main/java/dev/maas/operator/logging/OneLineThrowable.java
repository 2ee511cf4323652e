package dev.maas.operator.logging;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * Renders a log event's exception as one logfmt field, {@code error="..."}: its class and message,
 * each cause's after it, and the frame it was thrown from. An operator's log is read line by line
 * (by people, Loki, Elastic): a 45-line stack trace for every watch the API server drops on a
 * restart buries what happened, and a line that can be grepped says as much.
 */
public final class OneLineThrowable extends ThrowableHandlingConverter {
  private static final int MAX_CAUSES = 5;

  @Override
  public String convert(ILoggingEvent event) {
    IThrowableProxy thrown = event.getThrowableProxy();
    return thrown == null ? "" : " error=\"" + escape(describe(thrown)) + "\"";
  }

  static String describe(IThrowableProxy thrown) {
    StringBuilder line = new StringBuilder();
    IThrowableProxy current = thrown;
    IThrowableProxy innermost = thrown;
    for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
      if (depth > 0) {
        line.append("; caused by ");
      }
      line.append(current.getClassName());
      if (current.getMessage() != null) {
        line.append(": ").append(current.getMessage().strip().replaceAll("\\s+", " "));
      }
      innermost = current;
      current = current.getCause();
    }
    StackTraceElementProxy[] frames = innermost.getStackTraceElementProxyArray();
    if (frames != null && frames.length > 0) {
      line.append(" (at ").append(frames[0].getStackTraceElement()).append(')');
    }
    return line.toString();
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
