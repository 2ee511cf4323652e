package dev.maas.runtime.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.maas.contract.RuntimeMetrics;
import dev.maas.contract.ShadowSettings;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import dev.maas.runtime.http.DigitsServerTestSupport;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A serving pod mirrors answered requests to a candidate, on real sockets, between real servers:
 * the digits MLP serves, and mirrors to its quantized copy (agrees), to a model that answers
 * something else (the echo model), or to nothing that listens. The settings file is changed under
 * the running server, as kubelet changes a mounted ConfigMap.
 */
class ShadowMirrorTest {
  @TempDir static Path dir;
  static Path settings;
  static TestServer stable;
  static TestServer quantized;
  static TestServer echo;
  static TestServer scrambled;
  static JsonNode testSet;

  @BeforeAll
  static void start() throws Exception {
    settings = dir.resolve("shadow.properties");
    quantized =
        TestServer.start(
            TestServer.config(TestModels.digitsQuantized(), "digits", "input:FP32:-1,64", 8));
    scrambled =
        TestServer.start(
            TestServer.config(TestModels.digitsScrambled(), "digits", "input:FP32:-1,64", 8));
    echo = TestServer.start(TestServer.config(TestModels.echo(), "digits", null, 8));
    stable =
        TestServer.start(
            TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 8)
                .withShadowConfig(settings));
    testSet = TestServer.JSON.readTree(TestModels.digitsTestSet().toFile()).get("inputs");
  }

  @AfterAll
  static void stop() {
    for (TestServer server : new TestServer[] {stable, quantized, scrambled, echo}) {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  void aCandidateThatAgreesIsComparedOnEveryMirroredRequest() throws Exception {
    double candidateOkBefore =
        value(quantized, RuntimeMetrics.REQUESTS, "outcome=\"ok\"").orElse(0);
    mirrorTo("7", 100, "http://127.0.0.1:" + quantized.port());

    // Within one second's worth of the rate cap, so every one is mirrored.
    sendDigits(ShadowMirror.MAX_PER_SECOND);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> shadow(RuntimeMetrics.SHADOW_REQUESTS, "7", "result=\"compared\"") == 20);
    assertThat(shadow(RuntimeMetrics.SHADOW_TOP1_ROWS, "7")).isEqualTo(40);
    // The quantized copy of the MLP agrees on nearly every digit, and differs a little in scores.
    assertThat(shadow(RuntimeMetrics.SHADOW_TOP1_AGREEMENTS, "7")).isBetween(37.0, 40.0);
    assertThat(shadow(RuntimeMetrics.SHADOW_ELEMENTS, "7")).isEqualTo(400);
    assertThat(shadow(RuntimeMetrics.SHADOW_ABS_ERROR_MAX, "7")).isBetween(1e-6, 1.0);
    // The candidate answered each mirrored request itself: traffic counted at both ends.
    assertThat(value(quantized, RuntimeMetrics.REQUESTS, "outcome=\"ok\"").orElse(0))
        .isEqualTo(candidateOkBefore + 20);
  }

  @Test
  void aPodMirrorsNoMoreThanItsRateCapHoweverManyItAnswers() throws Exception {
    mirrorTo("9", 100, "http://127.0.0.1:" + quantized.port());

    long started = System.nanoTime();
    sendDigits(150);
    double seconds = (System.nanoTime() - started) / 1e9;

    Thread.sleep(1000);
    double mirrored =
        shadow(RuntimeMetrics.SHADOW_REQUESTS, "9", "result=\"compared\"")
            + shadow(RuntimeMetrics.SHADOW_REQUESTS, "9", "result=\"dropped\"");
    // One second's burst, then MAX_PER_SECOND a second while the requests came.
    assertThat(mirrored)
        .as("mirrored of 150 answered in %.2f s", seconds)
        .isPositive()
        .isLessThanOrEqualTo(ShadowMirror.MAX_PER_SECOND * (1 + seconds) + 1);
  }

  @Test
  void aCandidateThatAnswersWronglyDisagrees() throws Exception {
    mirrorTo("12", 100, "http://127.0.0.1:" + scrambled.port());

    sendDigits(20);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> shadow(RuntimeMetrics.SHADOW_REQUESTS, "12", "result=\"compared\"") == 20);
    assertThat(shadow(RuntimeMetrics.SHADOW_TOP1_ROWS, "12")).isEqualTo(40);
    assertThat(shadow(RuntimeMetrics.SHADOW_TOP1_AGREEMENTS, "12")).isLessThan(12.0);
    assertThat(shadow(RuntimeMetrics.SHADOW_ABS_ERROR_MAX, "12")).isGreaterThan(1.0);
  }

  @Test
  void aCandidateThatAnswersSomethingElseCountsAsACandidateError() throws Exception {
    mirrorTo("8", 100, "http://127.0.0.1:" + echo.port());

    sendDigits(10);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> shadow(RuntimeMetrics.SHADOW_REQUESTS, "8", "result=\"candidate_error\"") == 10);
    assertThat(shadow(RuntimeMetrics.SHADOW_REQUESTS, "8", "result=\"compared\"")).isZero();
  }

  @Test
  void aCandidateThatDoesNotListenCostsTheLiveTrafficNothing() throws Exception {
    mirrorTo("9", 100, "http://127.0.0.1:1");

    sendDigits(10);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                shadow(RuntimeMetrics.SHADOW_REQUESTS, "9", "result=\"unreachable\"")
                        + shadow(RuntimeMetrics.SHADOW_REQUESTS, "9", "result=\"dropped\"")
                    == 10);
  }

  @Test
  void aSampleOfTheAnsweredRequestsIsMirrored() throws Exception {
    mirrorTo("10", 20, "http://127.0.0.1:" + quantized.port());

    sendDigits(100);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                // 20% of 100, with room for chance (p < 1e-4 outside these bounds), and under
                // the rate cap's burst, so none is left out for the cap.
                assertThat(shadow(RuntimeMetrics.SHADOW_REQUESTS, "10", "result=\"compared\""))
                    .isBetween(5.0, 37.0));
  }

  @Test
  void anEmptyFileTurnsMirroringOffAndItsSeriesGo() throws Exception {
    mirrorTo("11", 100, "http://127.0.0.1:" + quantized.port());
    Files.writeString(settings, "");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> value(stable, RuntimeMetrics.SHADOW_REQUESTS, "candidate=\"11\"").isEmpty());
    sendDigits(5);
    assertThat(value(stable, RuntimeMetrics.SHADOW_REQUESTS, "candidate=\"11\"")).isEmpty();
  }

  /**
   * Writes the settings as the operator would, and waits until the server reads them, and then a
   * second more: the rate cap's permits are back to a full second's worth whatever the test before
   * used, so a test sending at most {@link ShadowMirror#MAX_PER_SECOND} requests sees each one
   * mirrored.
   */
  private static synchronized void mirrorTo(String candidate, int percent, String target)
      throws Exception {
    Files.writeString(settings, new ShadowSettings(candidate, percent, List.of(target)).render());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                value(stable, RuntimeMetrics.SHADOW_REQUESTS, "candidate=\"" + candidate + "\"")
                    .isPresent());
    Thread.sleep(1000);
  }

  /** Requests of two digits each; every answer is the stable model's, and succeeds. */
  private static void sendDigits(int requests) throws Exception {
    for (int i = 0; i < requests; i++) {
      ArrayNode rows = TestServer.JSON.createArrayNode();
      rows.add(testSet.get((2 * i) % testSet.size()));
      rows.add(testSet.get((2 * i + 1) % testSet.size()));
      HttpResponse<String> response =
          stable.post("/v2/models/digits/infer", DigitsServerTestSupport.request("r" + i, rows));
      assertThat(response.statusCode()).isEqualTo(200);
    }
  }

  private static double shadow(String metric, String candidate, String... labels) throws Exception {
    String[] all = new String[labels.length + 1];
    all[0] = "candidate=\"" + candidate + "\"";
    System.arraycopy(labels, 0, all, 1, labels.length);
    return value(stable, metric, all).orElse(0);
  }

  /** A sample of the server's /metrics whose labels include every one given. */
  static OptionalDouble value(TestServer server, String metric, String... labels) throws Exception {
    String text = server.get("/metrics").body();
    for (String line : text.split("\n")) {
      if (!line.startsWith(metric + "{")) {
        continue;
      }
      String labelText = line.substring(metric.length(), line.lastIndexOf('}') + 1);
      boolean all = true;
      for (String label : labels) {
        all &= labelText.contains(label);
      }
      if (all) {
        return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return OptionalDouble.empty();
  }
}
