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
    try (JsonParser parser = factory.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRequestException("request body must be a JSON object");
      }
      String id = null;
      List<Tensor> inputs = null;
      List<String> outputs = List.of();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "id" -> id = readId(parser, value);
          case "inputs" -> inputs = readInputs(parser, value);
          case "outputs" -> outputs = readOutputNames(parser, value);
          default -> parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw new BadRequestException("unexpected content after the request object");
      }
      if (inputs == null || inputs.isEmpty()) {
        throw new BadRequestException("request has no inputs: send \"inputs\": [{...}]");
      }
      return new InferenceRequest(id, inputs, outputs);
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

  private static List<String> readOutputNames(JsonParser parser, JsonToken value)
      throws IOException {
    expect(value, JsonToken.START_ARRAY, "\"outputs\" must be an array of {\"name\": ...}");
    List<String> names = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      expect(parser.currentToken(), JsonToken.START_OBJECT, "each output must be an object");
      String name = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        if (field.equals("name") && token == JsonToken.VALUE_STRING) {
          name = parser.getText();
        } else {
          parser.skipChildren();
        }
      }
      if (name == null) {
        throw new BadRequestException("each requested output needs a \"name\"");
      }
      names.add(name);
    }
    return names;
  }

  private static List<Tensor> readInputs(JsonParser parser, JsonToken value) throws IOException {
    expect(value, JsonToken.START_ARRAY, "\"inputs\" must be an array of tensors");
    List<Tensor> inputs = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      expect(parser.currentToken(), JsonToken.START_OBJECT, "each input must be an object");
      inputs.add(readInput(parser, inputs.size()));
    }
    return inputs;
  }

  static Tensor readInput(JsonParser parser, int index) throws IOException {
    String name = null;
    String datatype = null;
    long[] shape = null;
    NumberBuffer data = null;
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
    if (data == null) {
      throw new BadRequestException(label + " has no \"data\"");
    }
    Datatype type = parseDatatype(datatype, label);
    long expected;
    try {
      expected = Tensor.elementCount(shape);
    } catch (ArithmeticException e) {
      throw new BadRequestException(label + ": shape is too large");
    }
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

  private static Datatype parseDatatype(String datatype, String label) {
    if (datatype.equals("BF16")) {
      throw new BadRequestException(
          label + ": datatype BF16 is not supported by this server; send FP32 or FP16");
    }
    if (datatype.equals("INT16")) {
      throw new BadRequestException(
          label + ": datatype INT16 is not supported by this server; send INT32");
    }
    return Datatype.fromName(datatype)
        .orElseThrow(
            () ->
                new BadRequestException(
                    label
                        + ": unsupported datatype "
                        + datatype
                        + "; supported: "
                        + Datatype.supportedNames()));
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
