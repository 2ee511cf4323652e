package dev.maas.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.contract.RuntimeMetrics;
import dev.maas.operator.metrics.RolloutMetrics;
import dev.maas.operator.testing.ClusterTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chart's alerting rules, checked by Prometheus's own promtool (built from source through the
 * Go module proxy, as the control plane is): they parse, every alert fires on the series that
 * should fire it and stays quiet otherwise (rules.test.yaml), and every metric they read is one the
 * operator or the runtime exports. Tagged as a cluster test: it needs the Go toolchain the cluster
 * tests build with.
 */
@Tag(ClusterTest.TAG)
class AlertingRulesTest {
  private static final Path RULES =
      ProcessCluster.REPO.resolve("helm/maas-operator/files/prometheus");
  private static Path promtool;

  @BeforeAll
  static void build() throws Exception {
    Process build =
        new ProcessBuilder(
                ProcessCluster.REPO.resolve("e2e/toolchain/build-promtool.sh").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(build.getInputStream().readAllBytes()).strip();
    assertThat(build.waitFor(20, TimeUnit.MINUTES)).isTrue();
    assertThat(build.exitValue()).as("build-promtool.sh").isZero();
    promtool = Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
  }

  @Test
  void theRulesParseAndEveryAlertFiresWhenItShouldAndOnlyThen() throws Exception {
    String check = promtool("check", "rules", "rules.yaml");
    assertThat(check).contains("SUCCESS: 4 rules found");
    String test = promtool("test", "rules", "rules.test.yaml");
    assertThat(test).contains("SUCCESS");
  }

  @Test
  void everyMetricTheRulesReadIsExported() throws IOException {
    String rules = Files.readString(RULES.resolve("rules.yaml"));
    String operatorMetrics = new RolloutMetrics().scrape();
    Matcher names = Pattern.compile("\\b(maas_[a-z0-9_]+)").matcher(rules);
    List<String> read = names.results().map(m -> m.group(1)).distinct().toList();
    assertThat(read).isNotEmpty();
    for (String name : read) {
      assertThat(
              operatorMetrics.contains("# TYPE " + name + " ")
                  || name.equals(RuntimeMetrics.REQUESTS))
          .as(name + " is exported by the operator or the runtime")
          .isTrue();
    }
  }

  private static String promtool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(promtool.toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(RULES.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", args) + ":\n" + out).isZero();
    return out;
  }
}
