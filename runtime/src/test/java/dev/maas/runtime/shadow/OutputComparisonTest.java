package dev.maas.runtime.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.contract.Datatype;
import dev.maas.runtime.protocol.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputComparisonTest {
  @Test
  void topOneIsComparedPerRowOfTheFirstOutputAndErrorsOverEveryElement() {
    Tensor ours = fp32("scores", new long[] {2, 3}, 0.1f, 0.7f, 0.2f, 0.5f, 0.4f, 0.1f);
    Tensor theirs = fp32("scores", new long[] {2, 3}, 0.2f, 0.6f, 0.2f, 0.3f, 0.6f, 0.1f);

    OutputComparison c = OutputComparison.of(List.of(ours), List.of(theirs)).orElseThrow();

    assertThat(c.top1Rows()).isEqualTo(2);
    assertThat(c.top1Agreements()).isEqualTo(1);
    assertThat(c.elements()).isEqualTo(6);
    assertThat(c.absErrorMax()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(c.absErrorSum()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void anOutputOfOneValuePerRowHasNoClassesToCompare() {
    Tensor ours = fp32("y", new long[] {2, 1}, 1f, 2f);
    Tensor theirs = fp32("y", new long[] {2, 1}, 1f, 2.5f);

    OutputComparison c = OutputComparison.of(List.of(ours), List.of(theirs)).orElseThrow();

    assertThat(c.top1Rows()).isZero();
    assertThat(c.absErrorMax()).isEqualTo(0.5);
  }

  @Test
  void anotherShapeAMissingOutputOrNaNCannotBeCompared() {
    Tensor ours = fp32("y", new long[] {1, 2}, 1f, 2f);

    assertThat(OutputComparison.of(List.of(ours), List.of(fp32("y", new long[] {2, 1}, 1f, 2f))))
        .isEmpty();
    assertThat(OutputComparison.of(List.of(ours), List.of(fp32("z", new long[] {1, 2}, 1f, 2f))))
        .isEmpty();
    assertThat(
            OutputComparison.of(
                List.of(ours), List.of(fp32("y", new long[] {1, 2}, 1f, Float.NaN))))
        .isEmpty();
  }

  private static Tensor fp32(String name, long[] shape, float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.nativeOrder());
    for (float v : values) {
      buffer.putFloat(v);
    }
    return new Tensor(name, Datatype.FP32, shape, buffer.array());
  }
}
