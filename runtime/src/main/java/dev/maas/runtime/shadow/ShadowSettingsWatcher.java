package dev.maas.runtime.shadow;

import dev.maas.contract.ShadowSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the shadow settings file whenever its content changes. The file is a key of a mounted
 * ConfigMap, which kubelet replaces by swapping a symlink ({@code ..data}) rather than writing in
 * place, so inotify on the file itself would miss it: the file is read again every {@link
 * #PERIOD_MILLIS}, which costs one small read a second. A file that does not parse turns mirroring
 * off, with one line naming the key.
 */
public final class ShadowSettingsWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShadowSettingsWatcher.class);
  static final long PERIOD_MILLIS = 1000;

  private final Path file;
  private final Consumer<Optional<ShadowSettings>> consumer;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "shadow-settings");
            t.setDaemon(true);
            return t;
          });
  private byte[] last;

  public ShadowSettingsWatcher(Path file, Consumer<Optional<ShadowSettings>> consumer) {
    this.file = file;
    this.consumer = consumer;
  }

  /** Reads the file now, then whenever it changes. */
  public ShadowSettingsWatcher start() {
    check();
    timer.scheduleWithFixedDelay(this::check, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  synchronized void check() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      content = new byte[0];
    } catch (IOException e) {
      LOG.warn("shadow settings {}: {}", file, e.toString());
      return;
    }
    if (last != null && Arrays.equals(last, content)) {
      return;
    }
    last = content;
    Optional<ShadowSettings> settings;
    try {
      settings = ShadowSettings.parse(new String(content, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      LOG.warn("{} ({}); mirroring is off", e.getMessage(), file);
      settings = Optional.empty();
    }
    consumer.accept(settings);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
