package dev.maas.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShadowSettingsTest {
  @Test
  void whatTheOperatorRendersTheRuntimeReadsBack() {
    ShadowSettings settings =
        new ShadowSettings("4", 20, List.of("http://10.0.0.7:8080", "http://10.0.0.8:8080"));

    assertThat(ShadowSettings.parse(settings.render())).contains(settings);
  }

  @Test
  void anEmptyFileIsMirroringOff() {
    assertThat(ShadowSettings.parse("")).isEmpty();
    assertThat(ShadowSettings.parse("# nothing\n")).isEmpty();
  }

  @Test
  void aWrongValueIsRefusedNamingItsKey() {
    assertThatThrownBy(() -> ShadowSettings.parse("candidate=4\nsamplePercent=0\n"))
        .hasMessage("shadow settings: samplePercent must be 1..100, not 0");
    assertThatThrownBy(() -> ShadowSettings.parse("candidate=4\nsamplePercent=ten\n"))
        .hasMessageContaining("samplePercent must be a whole number");
    assertThatThrownBy(() -> ShadowSettings.parse("samplePercent=10\n"))
        .hasMessageContaining("candidate is missing");
    assertThatThrownBy(
            () -> ShadowSettings.parse("candidate=4\nsamplePercent=10\ntargets=10.0.0.7:8080\n"))
        .hasMessageContaining("targets must be http(s) URLs");
  }
}
