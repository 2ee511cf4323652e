package dev.maas.runtime.compress;

import dev.maas.contract.Datatype;
import dev.maas.contract.ServingDefaults;
import dev.maas.contract.TensorSignature;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.protocol.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --data}: rows like the ones the model will see. Safetensors with one tensor per input,
 * named after it, whose first dimension is the rows (what {@code safetensors.torch.save_file} or
 * numpy writes); or the JSON rows of {@link SampleData#read} for a single FP32 input. Read whole
 * into memory, so both the bytes and the rows are capped ({@link ServingDefaults#MAX_DATA_BYTES},
 * {@link ServingDefaults#MAX_DATA_ROWS}) and a larger file is refused naming the cap.
 */
public final class DataFile {
  private DataFile() {}

  public static SampleData read(Path file, InputSignature signature) throws IOException {
    long size = Files.size(file);
    if (size > ServingDefaults.MAX_DATA_BYTES) {
      throw new IllegalArgumentException(
          "--data "
              + file.getFileName()
              + " has "
              + size
              + " bytes; compress reads at most "
              + ServingDefaults.MAX_DATA_BYTES
              + " (a sample of the rows serves as well)");
    }
    SampleData data =
        isJson(file) ? SampleData.read(file, signature) : safetensors(file, signature);
    if (data.rows() > ServingDefaults.MAX_DATA_ROWS) {
      throw new IllegalArgumentException(
          "--data has "
              + data.rows()
              + " rows; compress reads at most "
              + ServingDefaults.MAX_DATA_ROWS);
    }
    return data;
  }

  private static boolean isJson(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      int c;
      do {
        c = in.read();
      } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
      return c == '{';
    }
  }

  private static SampleData safetensors(Path file, InputSignature signature) throws IOException {
    Map<String, StoredTensor> tensors;
    try {
      tensors = Safetensors.read(Files.readAllBytes(file));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "--data "
              + file.getFileName()
              + " is neither JSON rows nor safetensors: "
              + e.getMessage());
    }
    List<Tensor> inputs = new ArrayList<>();
    long rows = -1;
    for (TensorSignature input : signature.inputs()) {
      StoredTensor stored = tensors.get(input.name());
      if (stored == null) {
        throw new IllegalArgumentException(
            "--data holds tensors "
                + tensors.keySet()
                + " but the model's input "
                + input.name()
                + " is not among them: name each tensor after its input");
      }
      Datatype datatype = datatype(stored.dtype(), input.name());
      if (datatype != input.datatype()) {
        throw new IllegalArgumentException(
            "--data's tensor "
                + input.name()
                + " is "
                + datatype
                + " but the input is "
                + input.datatype());
      }
      long[] shape = stored.shape();
      long[] expected = input.concreteShape(shape.length > 0 ? shape[0] : 0);
      if (shape.length == 0 || !Arrays.equals(shape, expected)) {
        throw new IllegalArgumentException(
            "--data's tensor "
                + input.name()
                + " has shape "
                + Arrays.toString(shape)
                + "; the input "
                + input
                + " needs [rows, ...] as "
                + Arrays.toString(input.shape()));
      }
      if (rows >= 0 && shape[0] != rows) {
        throw new IllegalArgumentException(
            "--data's tensors have different row counts: " + rows + " and " + shape[0]);
      }
      rows = shape[0];
      inputs.add(new Tensor(input.name(), datatype, shape, stored.data()));
    }
    if (rows < 1) {
      throw new IllegalArgumentException("--data has no rows");
    }
    return new SampleData(inputs, Math.toIntExact(rows), Optional.empty());
  }

  private static Datatype datatype(String dtype, String name) {
    return switch (dtype) {
      case "F32" -> Datatype.FP32;
      case "F64" -> Datatype.FP64;
      case "F16" -> Datatype.FP16;
      case "I64" -> Datatype.INT64;
      case "I32" -> Datatype.INT32;
      case "I8" -> Datatype.INT8;
      case "U8" -> Datatype.UINT8;
      case "BOOL" -> Datatype.BOOL;
      default ->
          throw new IllegalArgumentException(
              "--data's tensor " + name + " has dtype " + dtype + ", which no input takes");
    };
  }
}
