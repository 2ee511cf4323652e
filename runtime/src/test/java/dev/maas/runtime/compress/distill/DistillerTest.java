package dev.maas.runtime.compress.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.compress.AcceptanceCheck;
import dev.maas.runtime.compress.DataFile;
import dev.maas.runtime.compress.SampleData;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.model.ModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training loop on the digits MLP and its 2,410-parameter student, on a few hundred rows and a
 * few epochs so that it runs in seconds.
 */
class DistillerTest {
  private static final InputSignature DIGITS = InputSignature.parse("input:FP32:-1,64");
  private static final ModelLoader LOADER = new ModelLoader();
  private static DataSplit split;

  @TempDir Path dir;

  @BeforeAll
  static void data() throws Exception {
    SampleData all = DataFile.read(TestModels.digitsUnlabelled(), DIGITS);
    int[] first = new int[400];
    Arrays.setAll(first, i -> i);
    split = DataSplit.of(all.select(first), 0.2, 7);
  }

  private record Run(Distiller.Result result, List<String> log, byte[] module) {}

  private Run train(TrainingSettings settings, Path student) throws Exception {
    List<String> log = new ArrayList<>();
    Path module = Files.createTempFile(dir, "student-", ".pt");
    try (ZooModel<NDList, NDList> teacher =
            LOADER.loadForEditing(TestModels.digitsMlp(), Device.cpu());
        ZooModel<NDList, NDList> trainee = LOADER.loadForTraining(student, Device.cpu())) {
      Distiller.Result result =
          new Distiller(settings, log::add)
              .train(teacher, trainee, split.train(), split.heldOut(), module);
      return new Run(result, log, Files.readAllBytes(module));
    }
  }

  @Test
  void theLossFallsAndTheStudentLearnsToAgreeWithTheTeacher() throws Exception {
    Run run = train(new TrainingSettings(6, 32, 0.01, 4, 11), TestModels.digitsStudent());
    assertThat(run.log()).hasSize(6);
    assertThat(run.log().get(0)).startsWith("epoch 1/6: loss ");
    double first = lossOf(run.log().get(0));
    assertThat(run.result().finalLoss()).isLessThan(first / 2);
    assertThat(run.result().heldOutAgreement()).isGreaterThan(0.8);
    // What was written is what was trained: served alone, it agrees as much.
    Path written = dir.resolve("written.pt");
    Files.write(written, run.module());
    try (ZooModel<NDList, NDList> teacher =
            LOADER.loadTorchScript(TestModels.digitsMlp(), Device.cpu());
        ZooModel<NDList, NDList> student = LOADER.loadTorchScript(written, Device.cpu())) {
      AcceptanceCheck.Outputs t = AcceptanceCheck.firstOutputs(teacher, split.heldOut());
      AcceptanceCheck.Outputs s = AcceptanceCheck.firstOutputs(student, split.heldOut());
      int agree = 0;
      for (int r = 0; r < split.heldOut().rows(); r++) {
        agree += t.argmax(r) == s.argmax(r) ? 1 : 0;
      }
      assertThat((double) agree / split.heldOut().rows())
          .isEqualTo(run.result().heldOutAgreement());
    }
  }

  @Test
  void runsWithTheSameSeedAgreeExactly() throws Exception {
    TrainingSettings settings = new TrainingSettings(2, 32, 0.01, 4, 5);
    Run a = train(settings, TestModels.digitsStudent());
    Run b = train(settings, TestModels.digitsStudent());
    assertThat(b.log()).isEqualTo(a.log());
    assertThat(b.result()).isEqualTo(a.result());
    Run other = train(new TrainingSettings(2, 32, 0.01, 4, 6), TestModels.digitsStudent());
    assertThat(other.result().finalLoss())
        .as("another seed, another shuffle")
        .isNotEqualTo(a.result().finalLoss());
  }

  @Test
  void aStudentThatAnswersWithAnotherShapeIsRefusedBeforeTraining() {
    assertThatThrownBy(() -> train(new TrainingSettings(1, 32, 0.01, 4, 1), TestModels.echo()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "the student's first output has 64 value(s) per row and the teacher's 10");
  }

  @Test
  void theSplitIsSeededAndDisjoint() {
    SampleData rows = split.train();
    DataSplit a = DataSplit.of(rows, 0.25, 3);
    DataSplit b = DataSplit.of(rows, 0.25, 3);
    assertThat(a.heldOut().rows()).isEqualTo(Math.round(rows.rows() * 0.25));
    assertThat(a.train().rows() + a.heldOut().rows()).isEqualTo(rows.rows());
    assertThat(a.heldOut().inputs().get(0).data()).isEqualTo(b.heldOut().inputs().get(0).data());
  }

  private static double lossOf(String line) {
    return Double.parseDouble(line.replaceAll(".*loss ([0-9.]+),.*", "$1"));
  }
}
