package dev.maas.runtime.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/** Writes an Open Inference Protocol response with a streaming generator. */
public final class InferenceResponseEncoder {
  private final JsonFactory factory = new JsonFactory();

  public void encode(
      OutputStream out, String modelName, String modelVersion, String id, List<Tensor> outputs)
      throws IOException {
    encode(out, modelName, modelVersion, id, outputs, InferenceRequest.BinaryOutputs.NONE);
  }

  /**
   * The outputs {@code binary} names go as binary tensor data: in the JSON only their {@code
   * binary_data_size}, their bytes after the JSON object, in the same order; the caller sends the
   * JSON's length as {@code Inference-Header-Content-Length}. NaN and infinity, which JSON cannot
   * carry, travel as they are in binary.
   *
   * @return the JSON object's length in bytes
   */
  public long encode(
      OutputStream out,
      String modelName,
      String modelVersion,
      String id,
      List<Tensor> outputs,
      InferenceRequest.BinaryOutputs binary)
      throws IOException {
    CountingOutputStream counted = new CountingOutputStream(out);
    try (JsonGenerator json = factory.createGenerator(counted)) {
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.writeStartObject();
      json.writeStringField("model_name", modelName);
      json.writeStringField("model_version", modelVersion);
      if (id != null) {
        json.writeStringField("id", id);
      }
      json.writeArrayFieldStart("outputs");
      for (Tensor tensor : outputs) {
        if (binary.binary(tensor.name())) {
          writeBinaryHeader(json, tensor);
        } else {
          writeTensor(json, tensor);
        }
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    long jsonLength = counted.count();
    for (Tensor tensor : outputs) {
      if (binary.binary(tensor.name())) {
        out.write(BinaryTensors.toWire(tensor.data(), tensor.datatype()));
      }
    }
    return jsonLength;
  }

  private static void writeBinaryHeader(JsonGenerator json, Tensor tensor) throws IOException {
    writeNameDatatypeShape(json, tensor);
    json.writeObjectFieldStart("parameters");
    json.writeNumberField("binary_data_size", tensor.data().length);
    json.writeEndObject();
    json.writeEndObject();
  }

  /** Counts what the generator writes: the JSON part's length. */
  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    long count() {
      return count;
    }
  }

  /** Opens the tensor's object with what every form of it has: name, datatype and shape. */
  private static void writeNameDatatypeShape(JsonGenerator json, Tensor tensor) throws IOException {
    json.writeStartObject();
    json.writeStringField("name", tensor.name());
    json.writeStringField("datatype", tensor.datatype().name());
    json.writeArrayFieldStart("shape");
    for (long dim : tensor.shape()) {
      json.writeNumber(dim);
    }
    json.writeEndArray();
  }

  static void writeTensor(JsonGenerator json, Tensor tensor) throws IOException {
    writeNameDatatypeShape(json, tensor);
    json.writeArrayFieldStart("data");
    ByteBuffer data = tensor.buffer();
    long count = tensor.elementCount();
    for (long i = 0; i < count; i++) {
      switch (tensor.datatype()) {
        case BOOL -> json.writeBoolean(data.get() != 0);
        case UINT8 -> json.writeNumber(data.get() & 0xff);
        case INT8 -> json.writeNumber(data.get());
        case INT32 -> json.writeNumber(data.getInt());
        case INT64 -> json.writeNumber(data.getLong());
        case FP16 -> json.writeNumber(finite(tensor, i, Half.toFloat(data.getShort())));
        case FP32 -> json.writeNumber(finite(tensor, i, data.getFloat()));
        case FP64 -> json.writeNumber(finite(tensor, i, data.getDouble()));
        default -> throw new IllegalStateException(tensor.datatype().name());
      }
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static float finite(Tensor tensor, long index, float value) {
    if (!Float.isFinite(value)) {
      throw new NonFiniteOutputException(tensor.name(), index, value);
    }
    return value;
  }

  private static double finite(Tensor tensor, long index, double value) {
    if (!Double.isFinite(value)) {
      throw new NonFiniteOutputException(tensor.name(), index, value);
    }
    return value;
  }
}
