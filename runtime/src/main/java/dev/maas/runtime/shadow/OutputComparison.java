package dev.maas.runtime.shadow;

import dev.maas.runtime.protocol.Tensor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * How a candidate's answer to one mirrored request compares with the serving model's: top-1
 * agreement on the first output, per row, when it has classes (a row of more than one score), and
 * the absolute difference of every element of every output both gave. A pure function.
 *
 * @param top1Rows rows compared by top-1
 * @param top1Agreements rows where both chose the same class
 * @param elements output elements compared
 * @param absErrorSum sum of their absolute differences
 * @param absErrorMax the largest one
 */
public record OutputComparison(
    long top1Rows, long top1Agreements, long elements, double absErrorSum, double absErrorMax) {

  /**
   * @return empty when the answers cannot be compared (an output missing, another shape or
   *     datatype): the candidate does not answer like the serving model, which its caller counts as
   *     an error of the candidate
   */
  public static Optional<OutputComparison> of(List<Tensor> serving, List<Tensor> candidate) {
    long top1Rows = 0;
    long agreements = 0;
    long elements = 0;
    double sum = 0;
    double max = 0;
    for (int t = 0; t < serving.size(); t++) {
      Tensor ours = serving.get(t);
      Optional<Tensor> theirs =
          candidate.stream().filter(c -> c.name().equals(ours.name())).findFirst();
      if (theirs.isEmpty()
          || !java.util.Arrays.equals(ours.shape(), theirs.get().shape())
          || ours.datatype() != theirs.get().datatype()) {
        return Optional.empty();
      }
      double[] a = values(ours);
      double[] b = values(theirs.get());
      for (int i = 0; i < a.length; i++) {
        double diff = Math.abs(a[i] - b[i]);
        if (Double.isNaN(diff)) {
          return Optional.empty();
        }
        sum += diff;
        max = Math.max(max, diff);
      }
      elements += a.length;
      if (t == 0 && ours.shape().length >= 1) {
        long rows = ours.rows();
        int width = rows == 0 ? 0 : (int) (a.length / rows);
        if (width > 1) {
          for (int r = 0; r < rows; r++) {
            top1Rows++;
            if (argmax(a, r * width, width) == argmax(b, r * width, width)) {
              agreements++;
            }
          }
        }
      }
    }
    return Optional.of(new OutputComparison(top1Rows, agreements, elements, sum, max));
  }

  private static int argmax(double[] values, int from, int width) {
    int best = 0;
    for (int i = 1; i < width; i++) {
      if (values[from + i] > values[from + best]) {
        best = i;
      }
    }
    return best;
  }

  static double[] values(Tensor tensor) {
    ByteBuffer data = tensor.buffer();
    double[] values = new double[Math.toIntExact(tensor.elementCount())];
    for (int i = 0; i < values.length; i++) {
      values[i] =
          switch (tensor.datatype()) {
            case BOOL, UINT8 -> data.get() & 0xff;
            case INT8 -> data.get();
            case INT32 -> data.getInt();
            case INT64 -> data.getLong();
            case FP16 -> dev.maas.runtime.protocol.Half.toFloat(data.getShort());
            case FP32 -> data.getFloat();
            case FP64 -> data.getDouble();
            default -> throw new IllegalStateException(tensor.datatype().name());
          };
    }
    return values;
  }
}
