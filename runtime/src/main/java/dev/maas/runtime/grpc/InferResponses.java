package dev.maas.runtime.grpc;

import com.google.protobuf.UnsafeByteOperations;
import dev.maas.contract.Datatype;
import dev.maas.runtime.grpc.v2.InferTensorContents;
import dev.maas.runtime.grpc.v2.ModelInferResponse;
import dev.maas.runtime.protocol.BinaryTensors;
import dev.maas.runtime.protocol.Tensor;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The answer as a {@code ModelInferResponse}: outputs as raw little-endian bytes when the request
 * sent raw inputs (Triton's clients always do; it costs no conversion) or when an output has no
 * typed field (FP16), otherwise as typed contents, as the request came. The protocol allows one
 * form per response, never a mix.
 */
final class InferResponses {
  private InferResponses() {}

  static ModelInferResponse encode(
      String model, String version, String id, List<Tensor> outputs, boolean rawRequested) {
    boolean raw = rawRequested || outputs.stream().anyMatch(t -> t.datatype() == Datatype.FP16);
    ModelInferResponse.Builder response =
        ModelInferResponse.newBuilder().setModelName(model).setModelVersion(version);
    if (id != null) {
      response.setId(id);
    }
    for (Tensor output : outputs) {
      ModelInferResponse.InferOutputTensor.Builder tensor =
          response.addOutputsBuilder().setName(output.name()).setDatatype(output.datatype().name());
      for (long dim : output.shape()) {
        tensor.addShape(dim);
      }
      if (raw) {
        // The tensor's bytes are not written to after the answer: wrapped, not copied.
        response.addRawOutputContents(
            UnsafeByteOperations.unsafeWrap(
                BinaryTensors.toWire(output.data(), output.datatype())));
      } else {
        tensor.setContents(typed(output));
      }
    }
    return response.build();
  }

  private static InferTensorContents typed(Tensor tensor) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    ByteBuffer data = tensor.buffer();
    int n = (int) tensor.elementCount();
    switch (tensor.datatype()) {
      case BOOL -> {
        for (int i = 0; i < n; i++) {
          contents.addBoolContents(data.get(i) != 0);
        }
      }
      case INT8 -> {
        for (int i = 0; i < n; i++) {
          contents.addIntContents(data.get(i));
        }
      }
      case UINT8 -> {
        for (int i = 0; i < n; i++) {
          contents.addUintContents(Byte.toUnsignedInt(data.get(i)));
        }
      }
      case INT32 -> {
        for (int i = 0; i < n; i++) {
          contents.addIntContents(data.getInt(i * 4));
        }
      }
      case INT64 -> {
        for (int i = 0; i < n; i++) {
          contents.addInt64Contents(data.getLong(i * 8));
        }
      }
      case FP32 -> {
        for (int i = 0; i < n; i++) {
          contents.addFp32Contents(data.getFloat(i * 4));
        }
      }
      case FP64 -> {
        for (int i = 0; i < n; i++) {
          contents.addFp64Contents(data.getDouble(i * 8));
        }
      }
      case FP16 -> throw new IllegalStateException("FP16 outputs go raw");
    }
    return contents.build();
  }
}
