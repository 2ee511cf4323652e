package dev.maas.runtime.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.maas.contract.Datatype;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes an Open Inference Protocol request body with a streaming parser, straight into packed
 * tensors: no tree of boxed numbers is built, which matters at tens of thousands of requests per
 * second. Every malformed input becomes a {@link BadRequestException} naming what is wrong.
 */
public final class InferenceRequestDecoder {
  private final JsonFactory factory;

  public InferenceRequestDecoder() {
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();
  }

  public InferenceRequest decode(InputStream body) {
    return decode(body, -1);
  }

  /**
   * @param jsonLength the {@code Inference-Header-Content-Length}: the JSON object is that many
   *     bytes, and the binary tensor data of the inputs that give a {@code binary_data_size}
   *     follows it, in their order; -1: the body is JSON alone
   */
  public InferenceRequest decode(InputStream body, long jsonLength) {
    InputStream json = jsonLength < 0 ? body : new LimitedInputStream(body, jsonLength);
    try (JsonParser parser = factory.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRequestException("request body must be a JSON object");
      }
      String id = null;
      List<InputPart> parts = null;
      List<RequestedOutput> outputs = List.of();
      boolean allBinary = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "id" -> id = readId(parser, value);
          case "inputs" -> parts = readInputs(parser, value);
          case "outputs" -> outputs = readOutputs(parser, value);
          case "parameters" ->
              allBinary = readBoolParameter(parser, value, "binary_data_output", "parameters");
          default -> parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw new BadRequestException("unexpected content after the request object");
      }
      if (parts == null || parts.isEmpty()) {
        throw new BadRequestException("request has no inputs: send \"inputs\": [{...}]");
      }
      if (jsonLength >= 0) {
        while (json.skip(Long.MAX_VALUE) > 0) {
          // whatever the parser left of the JSON part (trailing whitespace)
        }
      }
      List<Tensor> inputs = new ArrayList<>(parts.size());
      for (InputPart part : parts) {
        inputs.add(part.tensor(body, jsonLength >= 0));
      }
      if (jsonLength >= 0 && body.read() >= 0) {
        throw new BadRequestException(
            "the body holds more binary data than the inputs' binary_data_size add up to");
      }
      return new InferenceRequest(
          id,
          inputs,
          outputs.stream().map(RequestedOutput::name).toList(),
          binary(allBinary, outputs));
    } catch (JsonParseException e) {
      throw new BadRequestException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequestException("unreadable request body: " + e.getMessage());
    }
  }

  private static String readId(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    if (value == JsonToken.VALUE_NUMBER_INT) {
      return parser.getText();
    }
    throw new BadRequestException("\"id\" must be a string");
  }

  /** Which outputs go as binary data; the shared {@code NONE} for the common JSON request. */
  private static InferenceRequest.BinaryOutputs binary(boolean all, List<RequestedOutput> outputs) {
    java.util.Map<String, Boolean> perOutput = new java.util.HashMap<>();
    for (RequestedOutput output : outputs) {
      if (output.binary() != null) {
        perOutput.put(output.name(), output.binary());
      }
    }
    return !all && perOutput.isEmpty()
        ? InferenceRequest.BinaryOutputs.NONE
        : new InferenceRequest.BinaryOutputs(all, perOutput);
  }

  /** A requested output: its name, and whether it is wanted as binary data (null: not said). */
  private record RequestedOutput(String name, Boolean binary) {}

  private static List<RequestedOutput> readOutputs(JsonParser parser, JsonToken value)
      throws IOException {
    expect(value, JsonToken.START_ARRAY, "\"outputs\" must be an array of {\"name\": ...}");
    List<RequestedOutput> outputs = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      expect(parser.currentToken(), JsonToken.START_OBJECT, "each output must be an object");
      String name = null;
      Boolean binary = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        if (field.equals("name") && token == JsonToken.VALUE_STRING) {
          name = parser.getText();
        } else if (field.equals("parameters")) {
          binary =
              readBoolParameter(parser, token, "binary_data", "outputs[" + outputs.size() + "]");
        } else {
          parser.skipChildren();
        }
      }
      if (name == null) {
        throw new BadRequestException("each requested output needs a \"name\"");
      }
      outputs.add(new RequestedOutput(name, binary));
    }
    return outputs;
  }

  /** A {@code parameters} object's boolean {@code key}; false when absent. */
  private static boolean readBoolParameter(
      JsonParser parser, JsonToken value, String key, String where) throws IOException {
    expect(value, JsonToken.START_OBJECT, where + ".parameters must be an object");
    boolean found = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      if (field.equals(key)) {
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
          throw new BadRequestException(where + ".parameters." + key + " must be true or false");
        }
        found = token == JsonToken.VALUE_TRUE;
      } else {
        parser.skipChildren();
      }
    }
    return found;
  }

  private static List<InputPart> readInputs(JsonParser parser, JsonToken value) throws IOException {
    expect(value, JsonToken.START_ARRAY, "\"inputs\" must be an array of tensors");
    List<InputPart> inputs = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      expect(parser.currentToken(), JsonToken.START_OBJECT, "each input must be an object");
      inputs.add(readInputPart(parser, inputs.size()));
    }
    return inputs;
  }

  /** A tensor in JSON alone (a mirrored server's outputs): {@code data} is required. */
  static Tensor readInput(JsonParser parser, int index) throws IOException {
    try {
      return readInputPart(parser, index).tensor(InputStream.nullInputStream(), false);
    } catch (IOException e) {
      throw new IllegalStateException("no binary data is read here", e);
    }
  }

  /**
   * An input as its JSON gives it: with its {@code data}, or with the size of its binary data,
   * which follows the JSON object.
   */
  private record InputPart(
      String label, String name, Datatype type, long[] shape, NumberBuffer data, long binarySize) {
    Tensor tensor(InputStream binary, boolean binaryAllowed) throws IOException {
      long expected;
      try {
        expected = Tensor.elementCount(shape);
      } catch (ArithmeticException e) {
        throw new BadRequestException(label + ": shape is too large");
      }
      if (binarySize < 0) {
        if (expected != data.size()) {
          throw new BadRequestException(
              label
                  + ": shape "
                  + java.util.Arrays.toString(shape)
                  + " needs "
                  + expected
                  + " values but data has "
                  + data.size());
        }
        return new Tensor(name, type, shape, data.pack(type, label));
      }
      if (!binaryAllowed) {
        throw new BadRequestException(
            label
                + " gives a binary_data_size but the request has no"
                + " Inference-Header-Content-Length header saying where its JSON ends");
      }
      long needed;
      try {
        needed = Math.multiplyExact(expected, (long) type.bytes());
      } catch (ArithmeticException e) {
        throw new BadRequestException(label + ": shape is too large");
      }
      if (binarySize != needed) {
        throw new BadRequestException(
            label
                + ": binary_data_size "
                + binarySize
                + " but shape "
                + java.util.Arrays.toString(shape)
                + " of "
                + type.name()
                + " is "
                + needed
                + " bytes");
      }
      byte[] wire = binary.readNBytes((int) binarySize);
      if (wire.length != binarySize) {
        throw new BadRequestException(
            label + ": the body ends " + (binarySize - wire.length) + " bytes before its data");
      }
      return new Tensor(name, type, shape, BinaryTensors.fromWire(wire, type));
    }
  }

  private static InputPart readInputPart(JsonParser parser, int index) throws IOException {
    String name = null;
    String datatype = null;
    long[] shape = null;
    NumberBuffer data = null;
    long binarySize = -1;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      switch (field) {
        case "name" -> {
          expect(token, JsonToken.VALUE_STRING, "inputs[" + index + "].name must be a string");
          name = parser.getText();
        }
        case "datatype" -> {
          expect(token, JsonToken.VALUE_STRING, "inputs[" + index + "].datatype must be a string");
          datatype = parser.getText();
        }
        case "shape" -> shape = readShape(parser, token, index);
        case "data" -> {
          expect(token, JsonToken.START_ARRAY, "inputs[" + index + "].data must be an array");
          data = new NumberBuffer();
          readData(parser, data, index);
        }
        case "parameters" -> binarySize = readBinarySize(parser, token, index);
        default -> parser.skipChildren();
      }
    }
    String label = name == null ? "inputs[" + index + "]" : "input '" + name + "'";
    if (name == null) {
      throw new BadRequestException(label + " has no \"name\"");
    }
    if (datatype == null) {
      throw new BadRequestException(label + " has no \"datatype\"");
    }
    if (shape == null) {
      throw new BadRequestException(label + " has no \"shape\"");
    }
    if (data == null && binarySize < 0) {
      throw new BadRequestException(label + " has no \"data\"");
    }
    if (data != null && binarySize >= 0) {
      throw new BadRequestException(
          label + " has both \"data\" and a binary_data_size: send one or the other");
    }
    if (binarySize > Integer.MAX_VALUE - 16) {
      throw new BadRequestException(label + ": binary_data_size is too large");
    }
    return new InputPart(
        label, name, RequestDatatypes.parse(datatype, label), shape, data, binarySize);
  }

  /** {@code parameters.binary_data_size}; -1 when absent. */
  private static long readBinarySize(JsonParser parser, JsonToken value, int index)
      throws IOException {
    String where = "inputs[" + index + "].parameters";
    expect(value, JsonToken.START_OBJECT, where + " must be an object");
    long size = -1;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      if (field.equals("binary_data_size")) {
        if (token != JsonToken.VALUE_NUMBER_INT
            || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            || parser.getLongValue() < 0) {
          throw new BadRequestException(where + ".binary_data_size must be a non-negative integer");
        }
        size = parser.getLongValue();
      } else {
        parser.skipChildren();
      }
    }
    return size;
  }

  private static long[] readShape(JsonParser parser, JsonToken token, int index)
      throws IOException {
    String message = "inputs[" + index + "].shape must be an array of non-negative integers";
    expect(token, JsonToken.START_ARRAY, message);
    long[] dims = new long[4];
    int rank = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
          || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          || parser.getLongValue() < 0) {
        throw new BadRequestException(message);
      }
      if (rank == dims.length) {
        dims = java.util.Arrays.copyOf(dims, rank * 2);
      }
      dims[rank++] = parser.getLongValue();
    }
    return java.util.Arrays.copyOf(dims, rank);
  }

  /** Flattens flat or nested {@code data} arrays in row-major order. */
  private static void readData(JsonParser parser, NumberBuffer data, int index) throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      switch (token) {
        case START_ARRAY -> readData(parser, data, index);
        case VALUE_NUMBER_INT -> {
          if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new BadRequestException(
                "inputs[" + index + "].data: " + parser.getText() + " does not fit in 64 bits");
          }
          data.addLong(parser.getLongValue());
        }
        case VALUE_NUMBER_FLOAT -> {
          double value = parser.getDoubleValue();
          if (!Double.isFinite(value)) {
            throw new BadRequestException(
                "inputs[" + index + "].data: " + parser.getText() + " does not fit in 64 bits");
          }
          data.addDouble(value);
        }
        case VALUE_TRUE -> data.addBool(true);
        case VALUE_FALSE -> data.addBool(false);
        default ->
            throw new BadRequestException(
                "inputs["
                    + index
                    + "].data may hold only numbers or booleans (BYTES tensors are not"
                    + " supported), found "
                    + parser.getText());
      }
    }
  }

  private static void expect(JsonToken actual, JsonToken expected, String message) {
    if (actual != expected) {
      throw new BadRequestException(message);
    }
  }
}
