package dev.maas.runtime.grpc;

import com.google.protobuf.ByteString;
import dev.maas.contract.Datatype;
import dev.maas.runtime.grpc.v2.InferTensorContents;
import dev.maas.runtime.grpc.v2.ModelInferRequest;
import dev.maas.runtime.protocol.BadRequestException;
import dev.maas.runtime.protocol.BinaryTensors;
import dev.maas.runtime.protocol.InferenceRequest;
import dev.maas.runtime.protocol.RequestDatatypes;
import dev.maas.runtime.protocol.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code ModelInferRequest} as the model's inputs, held to what the REST decoder holds a JSON
 * request to: every datatype and shape checked, sizes that disagree refused with both numbers,
 * values that do not fit their datatype refused; each refusal a {@link BadRequestException} naming
 * the input.
 */
final class InferRequests {
  private InferRequests() {}

  /**
   * The request, and whether its inputs came as raw bytes (the answer then comes the same way, as
   * the KServe runtimes and Triton's clients expect).
   */
  record Decoded(InferenceRequest request, boolean raw) {}

  static Decoded decode(ModelInferRequest request) {
    int count = request.getInputsCount();
    if (count == 0) {
      throw new BadRequestException("request has no inputs");
    }
    int rawCount = request.getRawInputContentsCount();
    boolean raw = rawCount > 0;
    if (raw && rawCount != count) {
      throw new BadRequestException(
          "raw_input_contents has "
              + rawCount
              + " entries for "
              + count
              + " inputs: with raw contents, every input is raw, in the order of inputs");
    }
    List<Tensor> inputs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      inputs.add(input(request.getInputs(i), i, raw ? request.getRawInputContents(i) : null));
    }
    List<String> outputs = new ArrayList<>(request.getOutputsCount());
    for (ModelInferRequest.InferRequestedOutputTensor output : request.getOutputsList()) {
      if (output.getName().isEmpty()) {
        throw new BadRequestException("each requested output needs a name");
      }
      outputs.add(output.getName());
    }
    String id = request.getId().isEmpty() ? null : request.getId();
    return new Decoded(new InferenceRequest(id, inputs, outputs), raw);
  }

  private static Tensor input(ModelInferRequest.InferInputTensor input, int index, ByteString raw) {
    String name = input.getName();
    String label = name.isEmpty() ? "inputs[" + index + "]" : "input '" + name + "'";
    if (name.isEmpty()) {
      throw new BadRequestException(label + " has no name");
    }
    if (input.getDatatype().isEmpty()) {
      throw new BadRequestException(label + " has no datatype");
    }
    Datatype type = RequestDatatypes.parse(input.getDatatype(), label);
    long[] shape = new long[input.getShapeCount()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = input.getShape(d);
      if (shape[d] < 0) {
        throw new BadRequestException(label + ": shape must be non-negative integers");
      }
    }
    long elements;
    long bytes;
    try {
      elements = Tensor.elementCount(shape);
      bytes = Math.multiplyExact(elements, (long) type.bytes());
    } catch (ArithmeticException e) {
      throw new BadRequestException(label + ": shape is too large");
    }
    if (raw != null) {
      if (input.hasContents() && input.getContents().getSerializedSize() > 0) {
        throw new BadRequestException(
            label + " has both contents and raw_input_contents: send one or the other");
      }
      if (raw.size() != bytes) {
        throw new BadRequestException(
            label
                + ": raw_input_contents holds "
                + raw.size()
                + " bytes but shape "
                + Arrays.toString(shape)
                + " of "
                + type.name()
                + " is "
                + bytes
                + " bytes");
      }
      return new Tensor(name, type, shape, BinaryTensors.fromWire(raw.toByteArray(), type));
    }
    return new Tensor(name, type, shape, typed(input.getContents(), type, elements, shape, label));
  }

  /** The values of the one contents field the datatype reads, packed in native order. */
  private static byte[] typed(
      InferTensorContents contents, Datatype type, long elements, long[] shape, String label) {
    if (type == Datatype.FP16) {
      throw new BadRequestException(
          label
              + ": FP16 has no typed contents field in the protocol; send its bytes in"
              + " raw_input_contents (little-endian IEEE half floats)");
    }
    String field = fieldOf(type);
    int found = count(contents, type);
    if (found == 0 && elements > 0) {
      String other = nonEmptyField(contents);
      throw new BadRequestException(
          label
              + " has no data: "
              + type.name()
              + " values go in contents."
              + field
              + (other == null ? " or raw_input_contents" : ", not contents." + other));
    }
    if (found != elements) {
      throw new BadRequestException(
          label
              + ": shape "
              + Arrays.toString(shape)
              + " needs "
              + elements
              + " values but contents."
              + field
              + " has "
              + found);
    }
    ByteBuffer out = ByteBuffer.allocate(found * type.bytes()).order(ByteOrder.nativeOrder());
    for (int i = 0; i < found; i++) {
      switch (type) {
        case BOOL -> out.put((byte) (contents.getBoolContents(i) ? 1 : 0));
        case INT8 -> out.put((byte) inRange(contents.getIntContents(i), -128, 127, type, label));
        case INT32 -> out.putInt(contents.getIntContents(i));
        case UINT8 -> {
          long value = Integer.toUnsignedLong(contents.getUintContents(i));
          out.put((byte) inRange(value, 0, 255, type, label));
        }
        case INT64 -> out.putLong(contents.getInt64Contents(i));
        case FP32 -> out.putFloat(contents.getFp32Contents(i));
        case FP64 -> out.putDouble(contents.getFp64Contents(i));
        default -> throw new IllegalStateException(type.name());
      }
    }
    return out.array();
  }

  private static long inRange(long value, long min, long max, Datatype type, String label) {
    if (value < min || value > max) {
      throw new BadRequestException(
          label + ": " + value + " is out of range for " + type + " [" + min + ", " + max + "]");
    }
    return value;
  }

  /** The contents field the specification assigns to a datatype. */
  static String fieldOf(Datatype type) {
    return switch (type) {
      case BOOL -> "bool_contents";
      case INT8, INT32 -> "int_contents";
      case UINT8 -> "uint_contents";
      case INT64 -> "int64_contents";
      case FP32 -> "fp32_contents";
      case FP64 -> "fp64_contents";
      case FP16 -> "raw contents";
    };
  }

  private static int count(InferTensorContents contents, Datatype type) {
    return switch (type) {
      case BOOL -> contents.getBoolContentsCount();
      case INT8, INT32 -> contents.getIntContentsCount();
      case UINT8 -> contents.getUintContentsCount();
      case INT64 -> contents.getInt64ContentsCount();
      case FP32 -> contents.getFp32ContentsCount();
      case FP64 -> contents.getFp64ContentsCount();
      case FP16 -> 0;
    };
  }

  private static String nonEmptyField(InferTensorContents contents) {
    if (contents.getBoolContentsCount() > 0) {
      return "bool_contents";
    }
    if (contents.getIntContentsCount() > 0) {
      return "int_contents";
    }
    if (contents.getInt64ContentsCount() > 0) {
      return "int64_contents";
    }
    if (contents.getUintContentsCount() > 0) {
      return "uint_contents";
    }
    if (contents.getUint64ContentsCount() > 0) {
      return "uint64_contents";
    }
    if (contents.getFp32ContentsCount() > 0) {
      return "fp32_contents";
    }
    if (contents.getFp64ContentsCount() > 0) {
      return "fp64_contents";
    }
    if (contents.getBytesContentsCount() > 0) {
      return "bytes_contents";
    }
    return null;
  }
}
