package dev.maas.runtime.compress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas.contract.ExitCodes;
import dev.maas.runtime.RuntimeMain;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
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

/** compress --method Distill by its command line: training, the gate, the package, the report. */
class DistillCommandTest {
  @TempDir Path dir;

  private int compress(Path report, List<String> args) {
    List<String> all = new ArrayList<>(List.of("compress", "--report-file", report.toString()));
    all.addAll(args);
    return new CommandLine(new RuntimeMain()).execute(all.toArray(String[]::new));
  }

  private List<String> distill(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source", TestModels.digitsMlp().toString(),
                "--method", "Distill",
                "--student", TestModels.digitsStudent().toString(),
                "--data", TestModels.digitsUnlabelled().toString(),
                "--inputs", "input:FP32:-1,64",
                "--output", dir.resolve("out").toString(),
                "--eval-data", TestModels.digitsTestSet().toString()));
    args.addAll(List.of(extra));
    return args;
  }

  private static JsonNode read(Path file) throws Exception {
    String json = Files.readString(file);
    assertThat(json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .as("fits a Kubernetes termination message")
        .isLessThanOrEqualTo(4096);
    return TestServer.JSON.readTree(json);
  }

  @Test
  void theDefaultsDistillAStudentThatServesWhatTheReportSaysAndNeverTrainsTwice() throws Exception {
    Path reportFile = dir.resolve("r.json");
    assertThat(compress(reportFile, distill("--min-top1-agreement", "0.95")))
        .isEqualTo(ExitCodes.OK);
    JsonNode report = read(reportFile);
    assertThat(report.path("method").asText()).isEqualTo("Distill");
    JsonNode training = report.path("training");
    assertThat(training.path("epochs").asInt()).isEqualTo(30);
    assertThat(training.path("trainRows").asInt() + training.path("heldOutRows").asInt())
        .isEqualTo(1437);
    assertThat(training.path("heldOutRows").asInt()).isEqualTo(287);
    assertThat(training.path("teacherParameters").asLong()).isEqualTo(167_178);
    assertThat(training.path("studentParameters").asLong()).isEqualTo(2_410);
    assertThat(training.path("speedup").path("batch32").asDouble()).isPositive();
    JsonNode acceptance = report.path("acceptance");
    assertThat(acceptance.path("samples").asInt()).as("judged on the held-out rows").isEqualTo(287);
    assertThat(acceptance.path("top1Agreement").asDouble())
        .isEqualTo(training.path("heldOutAgreement").asDouble());
    double teacher = acceptance.path("accuracyBefore").asDouble();
    double student = acceptance.path("accuracyAfter").asDouble();
    assertThat(teacher).isEqualTo(0.9778, org.assertj.core.data.Offset.offset(0.0001));
    assertThat(student)
        .as("within 1.5 points of the teacher")
        .isGreaterThanOrEqualTo(teacher - 0.015);
    Path pkg = Path.of(report.path("packagePath").asText());
    assertThat(CompressCommandTest.servedAccuracy(pkg, "input:FP32:-1,64"))
        .as("serve answers as the report measured")
        .isEqualTo(student);
    try (Stream<Path> left = Files.list(dir.resolve("out"))) {
      assertThat(left).as("no temporary files left").containsExactly(pkg);
    }

    assertThat(compress(reportFile, distill("--min-top1-agreement", "0.95")))
        .isEqualTo(ExitCodes.OK);
    JsonNode again = read(reportFile);
    assertThat(again.path("cached").asBoolean()).isTrue();
    assertThat(again.path("key").asText()).isEqualTo(report.path("key").asText());
    assertThat(again.path("durationsMillis").has("train")).as("not trained twice").isFalse();

    assertThat(compress(reportFile, distill("--min-top1-agreement", "0.95", "--epochs", "29")))
        .isEqualTo(ExitCodes.OK);
    assertThat(read(reportFile).path("key").asText())
        .as("a training setting is part of the key")
        .isNotEqualTo(report.path("key").asText());
  }

  @Test
  void anUntrainedStudentIsRefusedByTheGate() throws Exception {
    Path reportFile = dir.resolve("r.json");
    assertThat(compress(reportFile, distill("--epochs", "0")))
        .isEqualTo(ExitCodes.Compress.REJECTED);
    JsonNode report = read(reportFile);
    assertThat(report.path("status").asText()).isEqualTo("rejected");
    assertThat(report.path("message").asText()).contains("below --min-top1-agreement");
    assertThat(report.path("training").path("epochs").asInt()).isZero();
    try (Stream<Path> files = Files.list(dir.resolve("out"))) {
      assertThat(files).as("nothing written").isEmpty();
    }
  }

  @Test
  void dataJudgesTheOtherMethodsInsteadOfNoise() throws Exception {
    Path reportFile = dir.resolve("r.json");
    List<String> args =
        List.of(
            "--source", TestModels.digitsMlp().toString(),
            "--method", "Int8",
            "--data", TestModels.digitsUnlabelled().toString(),
            "--inputs", "input:FP32:-1,64",
            "--output", dir.resolve("out").toString());
    assertThat(compress(reportFile, args)).isEqualTo(ExitCodes.OK);
    assertThat(read(reportFile).path("acceptance").path("samples").asInt()).isEqualTo(1437);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no student          | --method=Distill --data=DATA                     | --method Distill needs --student",
        "no data             | --method=Distill --student=STUDENT               | --method Distill needs --data",
        "student with Int8   | --method=Int8 --student=STUDENT                  | apply only to --method Distill",
        "epochs with Prune   | --method=Prune --sparsity=0.5 --epochs=3         | apply only to --method Distill",
        "negative epochs     | --method=Distill --student=STUDENT --data=DATA --epochs=-1 | --epochs must be between 0",
        "zero temperature    | --method=Distill --student=STUDENT --data=DATA --temperature=0 | --temperature must be greater than 0",
        "wrong student shape | --method=Distill --student=ECHO --data=DATA      | a student must answer with the teacher's outputs",
        "data not tensors    | --method=Distill --student=STUDENT --data=STUDENT | is neither JSON rows nor safetensors",
        "student digest      | --method=Distill --student=STUDENT --data=DATA --student-sha256=0000000000000000000000000000000000000000000000000000000000000000 | sha256 mismatch",
      })
  void badInputExitsWith2AndSaysWhy(String mistake, String args, String message) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--source", TestModels.digitsMlp().toString(),
                "--inputs", "input:FP32:-1,64",
                "--output", dir.resolve("out").toString()));
    for (String arg : args.trim().split("\\s+")) {
      all.add(
          arg.replace("STUDENT", TestModels.digitsStudent().toString())
              .replace("DATA", TestModels.digitsUnlabelled().toString())
              .replace("ECHO", TestModels.echo().toString()));
    }
    Path reportFile = dir.resolve("r.json");
    assertThat(compress(reportFile, all)).as(mistake).isEqualTo(ExitCodes.Compress.BAD_INPUT);
    assertThat(read(reportFile).path("message").asText()).contains(message);
  }
}
