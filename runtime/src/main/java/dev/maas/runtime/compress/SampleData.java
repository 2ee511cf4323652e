package dev.maas.runtime.compress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas.contract.Datatype;
import dev.maas.contract.TensorSignature;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.protocol.Half;
import dev.maas.runtime.protocol.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Inputs for the acceptance check: generated from the signature (seeded, so a check is repeatable),
 * or read from a file of rows {@code {"inputs": [[...], ...], "labels": [...]}} for a single-input
 * model.
 *
 * @param inputs one tensor per model input, with {@code rows} rows each
 * @param labels the class of each row, when the file had them
 */
public record SampleData(List<Tensor> inputs, int rows, Optional<int[]> labels) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Floating inputs are uniform in [0, 1) and integer inputs in [0, 10): a neutral range for
   * normalized features and small vocabularies alike.
   */
  public static SampleData generate(InputSignature signature, int rows, long seed) {
    Random random = new Random(seed);
    List<Tensor> inputs = new ArrayList<>();
    for (TensorSignature input : signature.inputs()) {
      long[] shape = input.concreteShape(rows);
      int count = Math.toIntExact(Tensor.elementCount(shape));
      ByteBuffer data =
          ByteBuffer.allocate(count * input.datatype().bytes()).order(ByteOrder.nativeOrder());
      for (int i = 0; i < count; i++) {
        switch (input.datatype()) {
          case FP32 -> data.putFloat(random.nextFloat());
          case FP64 -> data.putDouble(random.nextDouble());
          case FP16 -> data.putShort(Half.fromFloat(random.nextFloat()));
          case BOOL -> data.put((byte) (random.nextBoolean() ? 1 : 0));
          case UINT8, INT8 -> data.put((byte) random.nextInt(10));
          case INT32 -> data.putInt(random.nextInt(10));
          case INT64 -> data.putLong(random.nextInt(10));
          default -> throw new IllegalStateException(input.datatype().name());
        }
      }
      inputs.add(new Tensor(input.name(), input.datatype(), shape, data.array()));
    }
    return new SampleData(inputs, rows, Optional.empty());
  }

  /** The rows at {@code indices}, in that order, with their labels. */
  public SampleData select(int[] indices) {
    List<Tensor> selected = new ArrayList<>(inputs.size());
    for (Tensor input : inputs) {
      int rowBytes = input.data().length / rows;
      byte[] data = new byte[indices.length * rowBytes];
      for (int i = 0; i < indices.length; i++) {
        System.arraycopy(input.data(), indices[i] * rowBytes, data, i * rowBytes, rowBytes);
      }
      long[] shape = input.shape().clone();
      shape[0] = indices.length;
      selected.add(new Tensor(input.name(), input.datatype(), shape, data));
    }
    Optional<int[]> selectedLabels =
        labels.map(
            all -> {
              int[] picked = new int[indices.length];
              for (int i = 0; i < indices.length; i++) {
                picked[i] = all[indices[i]];
              }
              return picked;
            });
    return new SampleData(selected, indices.length, selectedLabels);
  }

  public static SampleData read(Path file, InputSignature signature) throws IOException {
    if (signature.inputs().size() != 1 || signature.inputs().get(0).datatype() != Datatype.FP32) {
      throw new IllegalArgumentException(
          "sample files hold rows for a single FP32 input; this model takes " + signature.inputs());
    }
    TensorSignature input = signature.inputs().get(0);
    JsonNode root = JSON.readTree(file.toFile());
    JsonNode rows = root.path("inputs");
    if (!rows.isArray() || rows.isEmpty()) {
      throw new IllegalArgumentException(file + " has no \"inputs\" rows");
    }
    long[] shape = input.concreteShape(rows.size());
    long perRow = Tensor.elementCount(shape) / rows.size();
    ByteBuffer data =
        ByteBuffer.allocate(Math.toIntExact(Tensor.elementCount(shape) * 4))
            .order(ByteOrder.nativeOrder());
    for (JsonNode row : rows) {
      if (row.size() != perRow) {
        throw new IllegalArgumentException(
            file
                + ": every row needs "
                + perRow
                + " values for "
                + input
                + ", one has "
                + row.size());
      }
      row.forEach(v -> data.putFloat((float) v.asDouble()));
    }
    Optional<int[]> labels = Optional.empty();
    if (root.has("labels")) {
      int[] l = new int[root.path("labels").size()];
      for (int i = 0; i < l.length; i++) {
        l[i] = root.path("labels").get(i).asInt();
      }
      if (l.length != rows.size()) {
        throw new IllegalArgumentException(
            file + ": " + l.length + " labels for " + rows.size() + " rows");
      }
      labels = Optional.of(l);
    }
    return new SampleData(
        List.of(new Tensor(input.name(), Datatype.FP32, shape, data.array())), rows.size(), labels);
  }
}
