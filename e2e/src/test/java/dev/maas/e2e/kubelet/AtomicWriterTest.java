package dev.maas.e2e.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {
  @TempDir Path dir;

  @Test
  void writesKubeletsLayoutWithEachNameALinkThroughData() throws Exception {
    AtomicWriter writer = new AtomicWriter(dir);

    assertThat(writer.write(Map.of("a.txt", file("one", 0644), "sub/b.txt", file("two", 0600))))
        .isTrue();

    assertThat(Files.readSymbolicLink(dir.resolve("a.txt"))).isEqualTo(Path.of("..data/a.txt"));
    assertThat(Files.readSymbolicLink(dir.resolve("sub"))).isEqualTo(Path.of("..data/sub"));
    assertThat(Files.readSymbolicLink(dir.resolve(AtomicWriter.DATA)).toString())
        .matches("\\.\\.\\d{4}_\\d\\d_\\d\\d_\\d\\d_\\d\\d_\\d\\d\\.\\d{9}");
    assertThat(Files.readString(dir.resolve("sub/b.txt"))).isEqualTo("two");
    assertThat(Files.getPosixFilePermissions(dir.resolve("sub/b.txt")))
        .isEqualTo(AtomicWriter.permissions(0600));
  }

  @Test
  void anUnchangedPayloadWritesNothing() throws Exception {
    AtomicWriter writer = new AtomicWriter(dir);
    writer.write(Map.of("a", file("one", 0644)));
    Path before = Files.readSymbolicLink(dir.resolve(AtomicWriter.DATA));

    assertThat(writer.write(Map.of("a", file("one", 0644)))).isFalse();
    assertThat(Files.readSymbolicLink(dir.resolve(AtomicWriter.DATA))).isEqualTo(before);
  }

  @Test
  void anUpdateSwapsDataRemovesGoneNamesAndTheOldDirectory() throws Exception {
    AtomicWriter writer = new AtomicWriter(dir);
    writer.write(Map.of("a", file("one", 0644), "gone", file("x", 0644)));
    Path old = dir.resolve(Files.readSymbolicLink(dir.resolve(AtomicWriter.DATA)));

    assertThat(writer.write(Map.of("a", file("two", 0644), "new", file("y", 0644)))).isTrue();

    assertThat(Files.readString(dir.resolve("a"))).isEqualTo("two");
    assertThat(Files.readString(dir.resolve("new"))).isEqualTo("y");
    assertThat(Files.exists(dir.resolve("gone"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .isFalse();
    assertThat(old).doesNotExist();
    try (var entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .filteredOn(n -> n.startsWith("..") && !n.equals(AtomicWriter.DATA))
          .hasSize(1);
    }
  }

  /** A reader that opens two files of one payload never sees one old and one new. */
  @Test
  void aReaderNeverSeesAMixOfTwoPayloads() throws Exception {
    AtomicWriter writer = new AtomicWriter(dir);
    writer.write(pair(0));
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicReference<String> mixed = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              while (writing.get() && mixed.get() == null) {
                try {
                  // Through ..data once, as a program that reads a snapshot does.
                  Path data = dir.resolve(Files.readSymbolicLink(dir.resolve(AtomicWriter.DATA)));
                  String left = Files.readString(data.resolve("left"));
                  String right = Files.readString(data.resolve("right"));
                  if (!left.equals(right)) {
                    mixed.set(left + " / " + right);
                  }
                } catch (java.io.IOException e) {
                  // the old directory went between the two reads: a reader retries
                }
              }
            });
    reader.start();
    for (int i = 1; i <= 200; i++) {
      writer.write(pair(i));
    }
    writing.set(false);
    reader.join();

    assertThat(mixed.get()).isNull();
    assertThat(Files.readString(dir.resolve("left"))).isEqualTo("200");
  }

  @Test
  void pathsThatLeaveTheVolumeAreRefused() {
    AtomicWriter writer = new AtomicWriter(dir);

    assertThatThrownBy(() -> writer.write(Map.of("../x", file("a", 0644))))
        .hasMessageContaining("'..'");
    assertThatThrownBy(() -> writer.write(Map.of("/etc/x", file("a", 0644))))
        .hasMessageContaining("relative");
  }

  @Test
  void withAnFsGroupASecretOfMode0400IsReadableByThatGroupOnly() throws Exception {
    int group = 65532;
    AtomicWriter writer = new AtomicWriter(dir, group);

    writer.write(Map.of("tls.key", file("key", 0400)));

    Path key = dir.resolve("tls.key").toRealPath();
    assertThat(AtomicWriter.permissions(0440)).isEqualTo(Files.getPosixFilePermissions(key));
    assertThat(Files.getAttribute(key, "unix:gid")).isEqualTo(group);
    assertThat(Files.getAttribute(key.getParent(), "unix:gid")).isEqualTo(group);
    assertThat(writer.write(Map.of("tls.key", file("key", 0400))))
        .as("the same again writes nothing")
        .isFalse();
  }

  private static Map<String, AtomicWriter.FileProjection> pair(int n) {
    Map<String, AtomicWriter.FileProjection> files = new LinkedHashMap<>();
    files.put("left", file(Integer.toString(n), 0644));
    files.put("right", file(Integer.toString(n), 0644));
    return files;
  }

  private static AtomicWriter.FileProjection file(String text, int mode) {
    return new AtomicWriter.FileProjection(text.getBytes(StandardCharsets.UTF_8), mode);
  }
}
