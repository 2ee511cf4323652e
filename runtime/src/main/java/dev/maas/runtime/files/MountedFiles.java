package dev.maas.runtime.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files of a mounted Secret, read again every period and handed on when their content changed.
 * Kubelet updates a Secret volume by writing a new hidden directory and swapping the {@code ..data}
 * symlink, so an inotify watch on a file misses the change and a reader that follows the visible
 * names never sees half a swap: reading every file each period is the reliable way (a few small
 * reads per period). A directory reads as its visible regular files by name, kubelet's own dot
 * entries left out; a file reads under its path.
 */
public final class MountedFiles implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MountedFiles.class);

  private final String what;
  private final List<Path> paths;
  private final Consumer<Map<String, byte[]>> onChange;
  private final ScheduledExecutorService timer;
  private Map<String, byte[]> last;

  /**
   * @param what names the files in a log line, e.g. {@code --api-keys}
   * @param onChange gets the files whenever they differ from the last read; it runs on the watch's
   *     own thread
   */
  public MountedFiles(String what, List<Path> paths, Consumer<Map<String, byte[]>> onChange) {
    this.what = what;
    this.paths = List.copyOf(paths);
    this.onChange = onChange;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "watch " + what);
              t.setDaemon(true);
              return t;
            });
  }

  /** Reads {@code paths} now: every file of a directory by name, a file by its path. */
  public static Map<String, byte[]> read(List<Path> paths) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
          for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (!name.startsWith(".") && Files.isRegularFile(entry)) {
              files.put(name, Files.readAllBytes(entry));
            }
          }
        }
      } else {
        files.put(path.toString(), Files.readAllBytes(path));
      }
    }
    return files;
  }

  /** Starts watching, from {@code current} (what the caller read and used at start). */
  public MountedFiles start(Map<String, byte[]> current, Duration period) {
    synchronized (this) {
      last = current;
    }
    timer.scheduleWithFixedDelay(
        this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  synchronized void check() {
    Map<String, byte[]> now;
    try {
      now = read(paths);
    } catch (IOException e) {
      // Mid-swap or briefly absent: the next period reads again; what was read last stays.
      LOG.debug("{}: {}", what, e.toString());
      return;
    }
    if (same(last, now)) {
      return;
    }
    last = now;
    try {
      onChange.accept(now);
    } catch (RuntimeException e) {
      LOG.warn(
          "{} changed but could not be used ({}); keeping what was in use", what, e.getMessage());
    }
  }

  private static boolean same(Map<String, byte[]> a, Map<String, byte[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, byte[]> entry : a.entrySet()) {
      if (!Arrays.equals(entry.getValue(), b.get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
