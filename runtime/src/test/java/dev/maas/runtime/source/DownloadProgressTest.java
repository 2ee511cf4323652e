package dev.maas.runtime.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DownloadProgressTest {
  @Test
  void aLineAtMostEveryIntervalWithBytesRateAndTimeLeft() {
    AtomicLong now = new AtomicLong(0);
    List<String> lines = new ArrayList<>();
    var progress = new DownloadProgress("s3://m/a.pt", Duration.ofSeconds(5), now::get, lines::add);
    long mib = 1024 * 1024;
    now.set(1_000_000_000L);
    progress.advanced(10 * mib, 100 * mib);
    assertThat(lines).as("nothing before the first interval").isEmpty();
    now.set(5_000_000_000L);
    progress.advanced(50 * mib, 100 * mib);
    assertThat(lines)
        .containsExactly("fetching s3://m/a.pt: 50.0 MiB of 100.0 MiB (50%), 10.0 MiB/s, 5 s left");
    now.set(6_000_000_000L);
    progress.advanced(60 * mib, 100 * mib);
    assertThat(lines).hasSize(1);
  }

  @Test
  void anUnknownSizeHasNoEstimate() {
    var progress = new DownloadProgress("x", Duration.ZERO, () -> 0L, l -> {});
    assertThat(progress.line(3 * 1024 * 1024, -1, 2_000_000_000L))
        .isEqualTo("fetching x: 3.0 MiB, 1.5 MiB/s");
  }
}
