package dev.maas.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report compress writes and the operator reads, through its JSON only. */
class PrepareReportTest {
  @Test
  void aReportRoundTripsThroughItsJson() {
    PrepareReport report =
        PrepareReport.builder(PrepareStatus.OK)
            .method("Int8")
            .settings("Int8")
            .key("k".repeat(64))
            .packagePath("/var/lib/maas/models/packages/" + PackageFormat.fileName("k".repeat(64)))
            .packageSha256("a".repeat(64))
            .cached(false)
            .originalBytes(678697L)
            .packageBytes(170179L)
            .ratio(3.988)
            .acceptance(new PrepareReport.Acceptance(256, 0.072, 0.02, 0.996, null, null))
            .durationsMillis(Map.of("total", 5000L))
            .build();
    String json = report.toJson();
    assertThat(json).startsWith("{\"status\":\"ok\",").doesNotContain("accuracyBefore");
    assertThat(PrepareReport.parse(json)).contains(report);
  }

  @Test
  void everyStatusHasItsLowerCaseWireWord() {
    for (PrepareStatus status : PrepareStatus.values()) {
      String json = PrepareReport.builder(status).build().toJson();
      assertThat(json).isEqualTo("{\"status\":\"" + status.name().toLowerCase() + "\"}");
      assertThat(PrepareReport.parse(json).orElseThrow().status()).isEqualTo(status);
    }
  }

  @Test
  void aLongMessageIsShortenedToFitATerminationMessage() {
    String json = PrepareReport.error("x".repeat(10_000)).toJson();
    assertThat(json.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(PrepareReport.MAX_BYTES);
    assertThat(PrepareReport.parse(json).orElseThrow().message()).endsWith(" [truncated]");
  }

  @Test
  void textThatIsNotAReportIsNone() {
    assertThat(PrepareReport.parse(null)).isEmpty();
    assertThat(PrepareReport.parse("")).isEmpty();
    assertThat(PrepareReport.parse("serve: cannot load the model")).isEmpty();
    assertThat(PrepareReport.parse("[1, 2]")).isEmpty();
    assertThat(PrepareReport.parse("{\"key\":\"k\"}")).isEmpty();
    assertThat(PrepareReport.parse("{\"status\":\"exploded\"}"))
        .as("a status this version does not know")
        .isEmpty();
    assertThat(PrepareReport.parse("{\"status\":\"ok\",\"newField\":1}")).isPresent();
  }
}
