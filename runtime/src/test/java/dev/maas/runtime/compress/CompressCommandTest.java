package dev.maas.runtime.compress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas.contract.ExitCodes;
import dev.maas.contract.PrepareReport;
import dev.maas.runtime.RuntimeMain;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The compress command's contract: packages, the acceptance gate, exit codes and the report. */
class CompressCommandTest {
  private static final int ROWS_PER_REQUEST = 32;

  @TempDir Path dir;

  private int compress(Path report, String... args) {
    List<String> all = new ArrayList<>(List.of("compress", "--report-file", report.toString()));
    all.addAll(List.of(args));
    return new CommandLine(new RuntimeMain()).execute(all.toArray(String[]::new));
  }

  private JsonNode report(Path file) throws Exception {
    String json = Files.readString(file);
    assertThat(json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .as("fits a Kubernetes termination message")
        .isLessThanOrEqualTo(4096);
    return TestServer.JSON.readTree(json);
  }

  /**
   * The held-out digits, sent in requests of {@link #ROWS_PER_REQUEST} rows: the server warms up
   * every batch size up to its largest, which for the CNN at 360 rows took minutes.
   */
  static double servedAccuracy(Path model, String inputs) throws Exception {
    JsonNode testSet = TestServer.JSON.readTree(TestModels.digitsTestSet().toFile());
    int rows = testSet.get("labels").size();
    String itemShape = inputs.contains("1,8,8") ? ",1,8,8" : ",64";
    int correct = 0;
    try (TestServer server =
        TestServer.start(TestServer.config(model, "m", inputs, ROWS_PER_REQUEST))) {
      for (int first = 0; first < rows; first += ROWS_PER_REQUEST) {
        int count = Math.min(ROWS_PER_REQUEST, rows - first);
        StringBuilder data = new StringBuilder("[");
        for (int r = first; r < first + count; r++) {
          data.append(r == first ? "" : ",").append(testSet.get("inputs").get(r));
        }
        String body =
            "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":["
                + count
                + itemShape
                + "],\"data\":"
                + data.append(']')
                + "}]}";
        HttpResponse<String> response = server.post("/v2/models/m/infer", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode scores = TestServer.json(response).path("outputs").get(0).path("data");
        for (int r = 0; r < count; r++) {
          correct += top1(scores, r) == testSet.get("labels").get(first + r).asInt() ? 1 : 0;
        }
      }
    }
    return (double) correct / rows;
  }

  private static int top1(JsonNode scores, int row) {
    int best = 0;
    for (int k = 1; k < 10; k++) {
      if (scores.get(row * 10 + k).asDouble() > scores.get(row * 10 + best).asDouble()) {
        best = k;
      }
    }
    return best;
  }

  /** Every method writes a package that serve loads, and serve's accuracy is the report's. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "digits_mlp.pt, Fp16, , 1.95",
    "digits_mlp.pt, Int8, , 3.8",
    "digits_mlp.pt, Prune, 0.5, 1.8",
    "digits_mlp.pt, PruneInt8, 0.5, 6.0",
    "digits_cnn.pt, Int8, , 3.5",
  })
  void everyMethodRoundTripsThroughServe(
      String model, String method, String sparsity, double minRatio) throws Exception {
    String inputs = model.contains("cnn") ? "input:FP32:-1,1,8,8" : "input:FP32:-1,64";
    Path reportFile = dir.resolve("report.json");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source", TestModels.dir().resolve(model).toString(),
                "--method", method,
                "--inputs", inputs,
                "--output", dir.resolve("out").toString(),
                "--eval-data", TestModels.digitsTestSet().toString()));
    if (sparsity != null) {
      args.addAll(List.of("--sparsity", sparsity));
    }
    assertThat(compress(reportFile, args.toArray(String[]::new))).isEqualTo(ExitCodes.OK);
    JsonNode report = report(reportFile);
    assertThat(report.path("status").asText()).isEqualTo("ok");
    assertThat(report.path("ratio").asDouble()).isGreaterThanOrEqualTo(minRatio);
    Path pkg = Path.of(report.path("packagePath").asText());
    assertThat(pkg.getFileName().toString()).isEqualTo(report.path("key").asText() + ".maas.zip");
    assertThat(ModelPackage.isPackage(pkg)).isTrue();
    assertThat(Files.size(pkg)).isEqualTo(report.path("packageBytes").asLong());
    assertThat(servedAccuracy(pkg, inputs))
        .as("serve restores exactly the weights the report measured")
        .isEqualTo(report.path("acceptance").path("accuracyAfter").asDouble());
    try (Stream<Path> left = Files.list(dir.resolve("out"))) {
      assertThat(left).as("no temporary files left").containsExactly(pkg);
    }
  }

  @Test
  void aCachedPackageStillFacesTheThresholdsOfTheRunThatFindsIt() throws Exception {
    Path out = dir.resolve("out");
    String[] loose = {
      "--source",
      TestModels.digitsMlp().toString(),
      "--method",
      "Int8",
      "--inputs",
      "input:FP32:-1,64",
      "--output",
      out.toString()
    };
    assertThat(compress(dir.resolve("a.json"), loose)).isZero();
    Path pkg = Path.of(report(dir.resolve("a.json")).path("packagePath").asText());

    String[] strict = {
      "--source",
      TestModels.digitsMlp().toString(),
      "--method",
      "Int8",
      "--inputs",
      "input:FP32:-1,64",
      "--output",
      out.toString(),
      "--max-output-error",
      "0.000001"
    };
    assertThat(compress(dir.resolve("b.json"), strict)).isEqualTo(ExitCodes.Compress.REJECTED);
    JsonNode rejected = report(dir.resolve("b.json"));
    assertThat(rejected.path("status").asText()).isEqualTo("rejected");
    assertThat(rejected.path("cached").asBoolean()).isTrue();
    assertThat(rejected.path("message").asText())
        .startsWith("max output error 0.07")
        .contains("exceeds --max-output-error 0.000001")
        .endsWith("(measured when the package was made)");
    assertThat(rejected.has("packagePath")).as("no package is offered").isFalse();
    assertThat(Files.exists(pkg)).as("kept for runs it satisfies").isTrue();
  }

  @Test
  void theSameKeyIsANoOpAndSettingsChangeTheKey() throws Exception {
    Path out = dir.resolve("out");
    String[] int8 = {
      "--source",
      TestModels.digitsMlp().toString(),
      "--method",
      "Int8",
      "--inputs",
      "input:FP32:-1,64",
      "--output",
      out.toString()
    };
    assertThat(compress(dir.resolve("a.json"), int8)).isZero();
    JsonNode first = report(dir.resolve("a.json"));
    Path pkg = Path.of(first.path("packagePath").asText());
    long modified = Files.getLastModifiedTime(pkg).toMillis();
    assertThat(compress(dir.resolve("b.json"), int8)).isZero();
    JsonNode second = report(dir.resolve("b.json"));
    assertThat(second.path("cached").asBoolean()).isTrue();
    assertThat(second.path("key").asText()).isEqualTo(first.path("key").asText());
    assertThat(second.path("acceptance")).isEqualTo(first.path("acceptance"));
    assertThat(Files.getLastModifiedTime(pkg).toMillis()).isEqualTo(modified);

    assertThat(
            compress(
                dir.resolve("c.json"),
                "--source",
                TestModels.digitsMlp().toString(),
                "--method",
                "Prune",
                "--sparsity",
                "0.3",
                "--inputs",
                "input:FP32:-1,64",
                "--output",
                out.toString()))
        .isZero();
    assertThat(report(dir.resolve("c.json")).path("key").asText())
        .isNotEqualTo(first.path("key").asText());
  }

  @Test
  void failedThresholdsExitWithTheirOwnCodeAndWriteNoPackage() throws Exception {
    Path out = dir.resolve("out");
    Path reportFile = dir.resolve("r.json");
    int exit =
        compress(
            reportFile,
            "--source",
            TestModels.digitsMlp().toString(),
            "--method",
            "Int8",
            "--inputs",
            "input:FP32:-1,64",
            "--output",
            out.toString(),
            "--max-output-error",
            "0.000001");
    assertThat(exit).isEqualTo(ExitCodes.Compress.REJECTED);
    JsonNode report = report(reportFile);
    assertThat(report.path("status").asText()).isEqualTo("rejected");
    assertThat(report.path("message").asText()).contains("exceeds --max-output-error");
    assertThat(report.path("acceptance").path("maxOutputError").asDouble()).isPositive();
    exit =
        compress(
            reportFile,
            "--source",
            TestModels.digitsMlp().toString(),
            "--method",
            "PruneInt8",
            "--sparsity",
            "0.97",
            "--inputs",
            "input:FP32:-1,64",
            "--output",
            out.toString(),
            "--min-top1-agreement",
            "0.99");
    assertThat(exit).isEqualTo(ExitCodes.Compress.REJECTED);
    assertThat(report(reportFile).path("message").asText()).contains("below --min-top1-agreement");
    // No thresholds at all: the default top-1 floor still refuses a destroyed model.
    exit =
        compress(
            reportFile,
            "--source",
            TestModels.digitsMlp().toString(),
            "--method",
            "Prune",
            "--sparsity",
            "0.999",
            "--inputs",
            "input:FP32:-1,64",
            "--output",
            out.toString());
    assertThat(exit).isEqualTo(ExitCodes.Compress.REJECTED);
    assertThat(report(reportFile).path("message").asText())
        .contains("below --min-top1-agreement 0.9000 (the default");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files).as("nothing written on failure").isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unreadable source   | --source=/nonexistent.pt --method=Int8                                  | does not exist",
        "digest mismatch     | --method=Int8 --sha256=0000000000000000000000000000000000000000000000000000000000000000 | sha256 mismatch",
        "unknown method      | --method=Int4                                                             | unknown --method Int4",
        "sparsity too large  | --method=Prune --sparsity=1.5                                             | must be greater than 0 and less than 1",
        "sparsity with Int8  | --method=Int8 --sparsity=0.5                                              | applies only to Prune and PruneInt8",
        "missing sparsity    | --method=PruneInt8                                                        | --sparsity is required",
        "not a model         | --source=EXAMPLE_JSON --method=Int8                                       | is it a TorchScript file?",
        "output is a file    | --method=Int8 --output=EXAMPLE_JSON                                       | is a file; name a directory",
        "no retries          | --method=Int8 --fetch-retries=0                                           | --fetch-retries must be at least 1",
      })
  void badInputExitsWith2AndSaysWhy(String mistake, String args, String message) throws Exception {
    List<String> all = new ArrayList<>(List.of("--inputs", "input:FP32:-1,64"));
    if (!args.contains("--output")) {
      all.addAll(List.of("--output", dir.resolve("out").toString()));
    }
    boolean hasSource = false;
    for (String arg : args.trim().split("\\s+")) {
      hasSource |= arg.startsWith("--source");
      all.add(arg.replace("EXAMPLE_JSON", TestModels.digitsTestSet().toString()));
    }
    if (!hasSource) {
      all.addAll(List.of("--source", TestModels.digitsMlp().toString()));
    }
    Path reportFile = dir.resolve("r.json");
    assertThat(compress(reportFile, all.toArray(String[]::new)))
        .as(mistake)
        .isEqualTo(ExitCodes.Compress.BAD_INPUT);
    JsonNode report = report(reportFile);
    assertThat(report.path("status").asText()).isEqualTo("error");
    assertThat(report.path("message").asText()).contains(message);
  }

  /** A store that is down may be back for the Job's next attempt: exit 1, not 2. */
  @Test
  void aSourceStillUnreachableAfterItsRetriesExitsWithTheRetryableCode() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Path reportFile = dir.resolve("r.json");
    int exit =
        compress(
            reportFile,
            "--source",
            "http://127.0.0.1:" + closed + "/digits.pt",
            "--method",
            "Int8",
            "--inputs",
            "input:FP32:-1,64",
            "--fetch-retries",
            "2",
            "--output",
            dir.resolve("out").toString());
    assertThat(exit).isEqualTo(ExitCodes.Compress.FAILED);
    assertThat(report(reportFile).path("message").asText())
        .isEqualTo(
            "http://127.0.0.1:"
                + closed
                + "/digits.pt: connection refused (gave up after 2 tries without progress)");
  }

  @Test
  void aTorchQuantizedModelIsServedAsItIs() throws Exception {
    JsonNode models = TestServer.JSON.readTree(TestModels.dir().resolve("models.json").toFile());
    double recorded =
        models.path("models").path("digits_mlp_qdynamic.pt").path("heldOutAccuracy").asDouble();
    assertThat(servedAccuracy(TestModels.digitsQuantized(), "input:FP32:-1,64"))
        .isCloseTo(recorded, org.assertj.core.data.Offset.offset(0.006));
  }

  @Test
  void anOverlongReportIsShortenedToTheTerminationMessageLimit() {
    String json = PrepareReport.error("x".repeat(10_000)).toJson();
    assertThat(json.length()).isLessThanOrEqualTo(PrepareReport.MAX_BYTES);
    assertThat(json).contains("[truncated]");
  }
}
