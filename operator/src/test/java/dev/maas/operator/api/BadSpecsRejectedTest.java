package dev.maas.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.validation.ManifestValidator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validator that {@code render} runs says of every bad spec what the real API server says
 * ({@link BadSpecsRejectedByTheApiServerTest} holds the server to the same table), from the CRD
 * packed in the operator's jar.
 */
class BadSpecsRejectedTest {
  private static final ManifestValidator VALIDATOR = ManifestValidator.forThisOperator();

  static Stream<BadSpecs.BadSpec> badSpecs() {
    return BadSpecs.all();
  }

  @Test
  void theStartingPointsAreValid() {
    assertThat(VALIDATOR.problems(BadSpecs.validManifest())).isEmpty();
    assertThat(VALIDATOR.problems(TestModelDeployments.manifest(TestModelDeployments.digits())))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void badSpecIsRejectedWithTheApiServersMessage(BadSpecs.BadSpec bad) {
    List<String> problems = VALIDATOR.problems(bad.breakIt().apply(BadSpecs.validManifest()));
    assertThat(problems).as(bad.mistake()).anyMatch(p -> p.contains(bad.expectedMessage()));
  }

  /** A CEL rule without a bad spec that trips it is a rule nobody has seen fail. */
  @Test
  void everyCelRuleInTheCrdIsTrippedByABadSpec() {
    List<String> tripped =
        badSpecs()
            .flatMap(b -> VALIDATOR.problems(b.breakIt().apply(BadSpecs.validManifest())).stream())
            .toList();
    assertThat(VALIDATOR.celRules().rules())
        .isNotEmpty()
        .allSatisfy(
            rule ->
                assertThat(tripped)
                    .as("a bad spec that trips: " + rule.expression())
                    .anyMatch(r -> r.endsWith(rule.message())));
  }
}
