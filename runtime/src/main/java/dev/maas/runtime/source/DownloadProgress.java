package dev.maas.runtime.source;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress lines for a long download, at most one per {@code interval}: bytes so far, the rate over
 * the whole download and the time left at that rate. A log that says nothing for minutes reads as a
 * hung pod.
 */
final class DownloadProgress {
  private final String what;
  private final Duration interval;
  private final LongSupplier nanoTime;
  private final Consumer<String> log;
  private final long startedNanos;
  private long lastLineNanos;

  DownloadProgress(String what, Duration interval, LongSupplier nanoTime, Consumer<String> log) {
    this.what = what;
    this.interval = interval;
    this.nanoTime = nanoTime;
    this.log = log;
    this.startedNanos = nanoTime.getAsLong();
    this.lastLineNanos = startedNanos;
  }

  void advanced(long bytes, long total) {
    long now = nanoTime.getAsLong();
    if (now - lastLineNanos < interval.toNanos()) {
      return;
    }
    lastLineNanos = now;
    log.accept(line(bytes, total, now));
  }

  String line(long bytes, long total, long now) {
    double seconds = Math.max((now - startedNanos) / 1e9, 1e-3);
    double rate = bytes / seconds;
    StringBuilder line =
        new StringBuilder("fetching ").append(what).append(": ").append(size(bytes));
    if (total > 0) {
      line.append(" of ")
          .append(size(total))
          .append(String.format(Locale.ROOT, " (%d%%)", bytes * 100 / total));
    }
    line.append(", ").append(size((long) rate)).append("/s");
    if (total > 0 && rate > 0) {
      line.append(", ").append(eta((long) Math.ceil((total - bytes) / rate))).append(" left");
    }
    return line.toString();
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  private static String eta(long seconds) {
    if (seconds < 120) {
      return seconds + " s";
    }
    if (seconds < 7200) {
      return seconds / 60 + " min";
    }
    return seconds / 3600 + " h";
  }
}
