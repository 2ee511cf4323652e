package dev.maas.runtime.compress;

import dev.maas.contract.CompressionMethod;
import dev.maas.runtime.protocol.Half;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The maths of compression for one weight tensor, whose first dimension is its output channels
 * (rows of a Linear weight, filters of a convolution kernel).
 *
 * <ul>
 *   <li>Int8: symmetric, one scale per output channel: {@code scale = max|w| / 127}, {@code q =
 *       round(w / scale)}; zero stays exactly zero.
 *   <li>Fp16: IEEE half precision, round to nearest even.
 *   <li>Pruning: weights with {@code |w| <= threshold} become zero; only the kept ones are stored,
 *       with a bit mask of their positions, which is what makes 50% pruning on top of int8 reach
 *       more than 6x.
 * </ul>
 */
public final class WeightCodec {
  private WeightCodec() {}

  /** How a tensor is stored; recorded per tensor in the manifest. */
  public enum Encoding {
    fp16,
    int8,
    sparse_fp32,
    sparse_int8
  }

  /** Stored tensors of one weight (the weight itself, and its scale and mask when it has them). */
  public record Encoded(
      Encoding encoding, long[] shape, Map<String, StoredTensor> tensors, long kept) {}

  public static Encoding encodingFor(CompressionMethod method) {
    return switch (method) {
      case Fp16 -> Encoding.fp16;
      case Int8 -> Encoding.int8;
      case Prune -> Encoding.sparse_fp32;
      case PruneInt8 -> Encoding.sparse_int8;
      case Distill ->
          throw new IllegalArgumentException(
              "Distill trains a student; it encodes no weights of the model");
    };
  }

  public static Encoded encode(
      String name, float[] weights, long[] shape, CompressionMethod method, float pruneThreshold) {
    Encoding encoding = encodingFor(method);
    Map<String, StoredTensor> stored = new LinkedHashMap<>();
    float[] values = weights;
    if (method.prunes()) {
      byte[] mask = new byte[(weights.length + 7) / 8];
      int kept = 0;
      for (int i = 0; i < weights.length; i++) {
        if (Math.abs(weights[i]) > pruneThreshold) {
          mask[i >> 3] |= (byte) (1 << (i & 7));
          kept++;
        }
      }
      stored.put(name + ".mask", new StoredTensor("U8", new long[] {mask.length}, mask));
      values = keptValues(weights, mask, kept);
    }
    long[] valuesShape = method.prunes() ? new long[] {values.length} : shape;
    if (method.quantizes()) {
      int rows = (int) shape[0];
      int rowSize = weights.length / rows;
      float[] scales = channelScales(weights, rows, rowSize, method.prunes() ? pruneThreshold : -1);
      byte[] q = new byte[values.length];
      int[] rowOf =
          method.prunes()
              ? rowsOfKept(weights.length, rowSize, stored.get(name + ".mask").data())
              : null;
      for (int i = 0; i < values.length; i++) {
        float scale = scales[rowOf == null ? i / rowSize : rowOf[i]];
        q[i] = scale == 0 ? 0 : (byte) Math.max(-127, Math.min(127, Math.round(values[i] / scale)));
      }
      stored.put(name, new StoredTensor("I8", valuesShape, q));
      stored.put(name + ".scale", new StoredTensor("F32", new long[] {rows}, floats(scales)));
    } else if (method == CompressionMethod.Fp16) {
      ByteBuffer half = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : values) {
        half.putShort(Half.fromFloat(v));
      }
      stored.put(name, new StoredTensor("F16", valuesShape, half.array()));
    } else {
      stored.put(name, new StoredTensor("F32", valuesShape, floats(values)));
    }
    return new Encoded(encoding, shape, stored, values.length);
  }

  /** The dense weights the encoded tensor stands for: what the server will compute with. */
  public static float[] decode(
      String name, Encoding encoding, long[] shape, Map<String, StoredTensor> stored) {
    int count = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
    StoredTensor values = required(stored, name);
    float[] dense = new float[count];
    switch (encoding) {
      case fp16 -> {
        ByteBuffer b = ByteBuffer.wrap(values.data()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
          dense[i] = Half.toFloat(b.getShort());
        }
      }
      case int8 -> {
        float[] scales = toFloats(required(stored, name + ".scale").data());
        int rowSize = count / scales.length;
        byte[] q = values.data();
        for (int i = 0; i < count; i++) {
          dense[i] = q[i] * scales[i / rowSize];
        }
      }
      case sparse_fp32, sparse_int8 -> {
        byte[] mask = required(stored, name + ".mask").data();
        float[] scales =
            encoding == Encoding.sparse_int8
                ? toFloats(required(stored, name + ".scale").data())
                : null;
        float[] kept = encoding == Encoding.sparse_fp32 ? toFloats(values.data()) : null;
        int rowSize = scales == null ? 1 : count / scales.length;
        int k = 0;
        for (int i = 0; i < count; i++) {
          if ((mask[i >> 3] & (1 << (i & 7))) != 0) {
            dense[i] = kept != null ? kept[k] : values.data()[k] * scales[i / rowSize];
            k++;
          }
        }
      }
      default -> throw new IllegalStateException(encoding.name());
    }
    return dense;
  }

  /**
   * The magnitude below (or at) which a weight is pruned so that {@code sparsity} of the given
   * weights become zero.
   */
  public static float pruneThreshold(float[] magnitudes, double sparsity) {
    float[] sorted = magnitudes.clone();
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = Math.abs(sorted[i]);
    }
    Arrays.sort(sorted);
    int index = (int) Math.floor(sparsity * sorted.length) - 1;
    return index < 0 ? -1f : sorted[index];
  }

  private static float[] channelScales(
      float[] weights, int rows, int rowSize, float pruneThreshold) {
    float[] scales = new float[rows];
    for (int r = 0; r < rows; r++) {
      float max = 0;
      for (int i = r * rowSize; i < (r + 1) * rowSize; i++) {
        float a = Math.abs(weights[i]);
        if (a > pruneThreshold && a > max) {
          max = a;
        }
      }
      scales[r] = max / 127f;
    }
    return scales;
  }

  private static float[] keptValues(float[] weights, byte[] mask, int kept) {
    float[] values = new float[kept];
    int k = 0;
    for (int i = 0; i < weights.length; i++) {
      if ((mask[i >> 3] & (1 << (i & 7))) != 0) {
        values[k++] = weights[i];
      }
    }
    return values;
  }

  private static int[] rowsOfKept(int count, int rowSize, byte[] mask) {
    int[] rows = new int[count];
    int k = 0;
    for (int i = 0; i < count; i++) {
      if ((mask[i >> 3] & (1 << (i & 7))) != 0) {
        rows[k++] = i / rowSize;
      }
    }
    return Arrays.copyOf(rows, k);
  }

  private static StoredTensor required(Map<String, StoredTensor> stored, String name) {
    StoredTensor t = stored.get(name);
    if (t == null) {
      throw new IllegalArgumentException("package is missing tensor " + name);
    }
    return t;
  }

  static byte[] floats(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  static float[] toFloats(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[bytes.length / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getFloat();
    }
    return out;
  }
}
