package dev.maas.runtime.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.contract.CompressionMethod;
import dev.maas.contract.PruningScope;
import org.junit.jupiter.api.Test;

class CompressionSettingsTest {
  @Test
  void theKeyCarriesTheSparsityExactlySoNearbySettingsNeverShareAPackage() {
    CompressionSettings almostAll =
        new CompressionSettings(CompressionMethod.Prune, 0.9999999, PruningScope.Global);
    CompressionSettings evenMore =
        new CompressionSettings(CompressionMethod.Prune, 0.99999995, PruningScope.Global);
    assertThat(almostAll.canonical()).isEqualTo("Prune;sparsity=0.9999999;scope=Global");
    assertThat(evenMore.canonical()).isNotEqualTo(almostAll.canonical());
    assertThat(new CompressionSettings(CompressionMethod.Int8, 0, PruningScope.Global).canonical())
        .isEqualTo("Int8");
  }
}
