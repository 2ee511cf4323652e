package dev.maas.runtime;

import java.nio.file.Path;

/** The committed example models (examples/models), made by make_models.py. */
public final class TestModels {
  private TestModels() {}

  public static Path dir() {
    return Path.of(System.getProperty("maas.modelsDir", "../examples/models"));
  }

  public static Path digitsMlp() {
    return dir().resolve("digits_mlp.pt");
  }

  public static Path digitsCnn() {
    return dir().resolve("digits_cnn.pt");
  }

  public static Path twoInputs() {
    return dir().resolve("two_inputs.pt");
  }

  /** Returns its input x unchanged, of any datatype. */
  public static Path echo() {
    return dir().resolve("echo.pt");
  }

  public static Path tokenClassifier() {
    return dir().resolve("token_classifier.pt");
  }

  public static Path digitsQuantized() {
    return dir().resolve("digits_mlp_qdynamic.pt");
  }

  /** The MLP with its classes shuffled: same signature, wrong answers (a canary candidate). */
  public static Path digitsScrambled() {
    return dir().resolve("digits_mlp_scrambled.pt");
  }

  public static Path digitsStudent() {
    return dir().resolve("digits_student.pt");
  }

  public static Path digitsUnlabelled() {
    return dir().resolve("digits_unlabelled.safetensors");
  }

  public static Path digitsTestSet() {
    return dir().resolve("digits_test.json");
  }
}
