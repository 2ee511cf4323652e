package dev.maas.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InferenceRequestDecoderTest {
  private final InferenceRequestDecoder decoder = new InferenceRequestDecoder();

  private InferenceRequest decode(String json) {
    return decoder.decode(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void decodesFlatAndNestedDataToTheSameTensor() {
    InferenceRequest flat =
        decode(
            "{\"id\":\"a\",\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[1,2.5,3,4]}]}");
    InferenceRequest nested =
        decode(
            "{\"inputs\":[{\"data\":[[1,2.5],[3,4]],\"datatype\":\"FP32\",\"shape\":[2,2],\"name\":\"x\"}]}");
    assertThat(flat.id()).isEqualTo("a");
    assertThat(nested.inputs().get(0)).isEqualTo(flat.inputs().get(0));
    assertThat(flat.inputs().get(0).buffer().getFloat(4)).isEqualTo(2.5f);
  }

  @Test
  void readsEveryDatatype() {
    String[][] cases = {
      {"BOOL", "[true,false]"},
      {"UINT8", "[0,255]"},
      {"INT8", "[-128,127]"},
      {"INT32", "[-70000,70000]"},
      {"INT64", "[-9007199254740993,9007199254740993]"},
      {"FP16", "[0.5,-2]"},
      {"FP32", "[0.25,1e-3]"},
      {"FP64", "[0.1,1e300]"}
    };
    for (String[] c : cases) {
      Tensor t =
          decode(
                  "{\"inputs\":[{\"name\":\"x\",\"datatype\":\""
                      + c[0]
                      + "\",\"shape\":[2],\"data\":"
                      + c[1]
                      + "}]}")
              .inputs()
              .get(0);
      assertThat(t.datatype().name()).isEqualTo(c[0]);
      assertThat(t.data()).hasSize(2 * t.datatype().bytes());
    }
    Tensor int64 =
        decode(
                "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[9007199254740993]}]}")
            .inputs()
            .get(0);
    assertThat(int64.buffer().getLong(0)).as("exact beyond 2^53").isEqualTo(9007199254740993L);
    Tensor half =
        decode(
                "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP16\",\"shape\":[1],\"data\":[-2.5]}]}")
            .inputs()
            .get(0);
    assertThat(Half.toFloat(half.buffer().getShort(0))).isEqualTo(-2.5f);
  }

  @Test
  void keepsRequestedOutputsAndIgnoresParameters() {
    InferenceRequest request =
        decode(
            "{\"parameters\":{\"x\":{\"y\":1}},\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1],\"parameters\":{}}],"
                + "\"outputs\":[{\"name\":\"b\"},{\"name\":\"a\",\"parameters\":{\"classification\":2}}]}");
    assertThat(request.requestedOutputs()).containsExactly("b", "a");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON                 | {bad                                                                                    | malformed JSON",
        "not an object            | [1,2]                                                                                   | must be a JSON object",
        "no inputs                | {\"inputs\":[]}                                                                          | request has no inputs",
        "no datatype              | {\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"data\":[1]}]}                                  | input 'x' has no \"datatype\"",
        "no shape                 | {\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"data\":[1]}]}                           | input 'x' has no \"shape\"",
        "no name                  | {\"inputs\":[{\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}                            | inputs[0] has no \"name\"",
        "shape and data disagree  | {\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,2],\"data\":[1,2,3]}]}        | shape [2, 2] needs 4 values but data has 3",
        "negative dimension       | {\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1],\"data\":[1]}]}             | shape must be an array of non-negative integers",
        "BF16                     | {\"inputs\":[{\"name\":\"x\",\"datatype\":\"BF16\",\"shape\":[1],\"data\":[1]}]}              | datatype BF16 is not supported",
        "BYTES                    | {\"inputs\":[{\"name\":\"x\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"a\"]}]}        | BYTES tensors are not supported",
        "strings as data          | {\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[\"a\"]}]}         | may hold only numbers or booleans",
        "fraction for INT64       | {\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[1.5]}]}           | INT64 data must be integers",
        "INT8 out of range        | {\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT8\",\"shape\":[1],\"data\":[300]}]}            | 300 is out of range for INT8",
        "number for BOOL          | {\"inputs\":[{\"name\":\"x\",\"datatype\":\"BOOL\",\"shape\":[1],\"data\":[1]}]}              | BOOL data must be true or false",
        "boolean for FP32         | {\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[true]}]}           | FP32 data must be numbers, not booleans",
        "data not an array        | {\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":1}]}                | data must be an array",
        "huge integer             | {\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[99999999999999999999]}]} | does not fit in 64 bits",
        "trailing garbage         | {\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]} x             | malformed JSON",
      })
  void rejectsWithAMessageSayingWhatIsWrong(String mistake, String body, String message) {
    assertThatThrownBy(() -> decode(body))
        .as(mistake)
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining(message);
  }

  @Test
  void halfPrecisionRoundTripsRepresentableValues() {
    for (float value : new float[] {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f}) {
      assertThat(Half.toFloat(Half.fromFloat(value))).isEqualTo(value);
    }
    assertThat(Half.toFloat(Half.fromFloat(1e6f))).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN)))).isTrue();
  }

  /** A JSON part and binary data after it, as the binary tensor data extension lays them out. */
  private InferenceRequest decodeBinary(String json, byte[] binary, int extraJsonBytes) {
    byte[] head = (json + " ".repeat(extraJsonBytes)).getBytes(StandardCharsets.UTF_8);
    byte[] body = java.util.Arrays.copyOf(head, head.length + binary.length);
    System.arraycopy(binary, 0, body, head.length, binary.length);
    return decoder.decode(new ByteArrayInputStream(body), head.length);
  }

  private static byte[] littleEndianFloats(float... values) {
    java.nio.ByteBuffer buffer =
        java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buffer.putFloat(v);
    }
    return buffer.array();
  }

  @Test
  void binaryInputsFollowTheJsonInOrderAndDecodeToTheSameTensorsAsJson() {
    String json =
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\","
            + "\"parameters\":{\"binary_data_size\":16}},"
            + "{\"name\":\"b\",\"shape\":[3],\"datatype\":\"BOOL\",\"parameters\":{\"binary_data_size\":3}}],"
            + "\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":true}},{\"name\":\"z\"}]}";
    byte[] binary = java.util.Arrays.copyOf(littleEndianFloats(1, 2.5f, 3, 4), 19);
    binary[16] = 1;
    binary[18] = 1;
    // Trailing whitespace inside the JSON part: Inference-Header-Content-Length counts it.
    InferenceRequest request = decodeBinary(json, binary, 3);
    assertThat(request.inputs().get(0))
        .isEqualTo(
            decode(
                    "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[1,2.5,3,4]}]}")
                .inputs()
                .get(0));
    assertThat(request.inputs().get(1).data()).containsExactly(1, 0, 1);
    assertThat(request.requestedOutputs()).containsExactly("y", "z");
    assertThat(request.binaryOutputs().binary("y")).isTrue();
    assertThat(request.binaryOutputs().binary("z")).isFalse();
  }

  @Test
  void binaryDataOutputAsksForEveryOutputUnlessOneSaysOtherwise() {
    InferenceRequest request =
        decode(
            "{\"parameters\":{\"binary_data_output\":true},\"inputs\":[{\"name\":\"x\",\"shape\":[1],"
                + "\"datatype\":\"FP32\",\"data\":[1]}],\"outputs\":[{\"name\":\"a\",\"parameters\":{\"binary_data\":false}}]}");
    assertThat(request.binaryOutputs().binary("a")).isFalse();
    assertThat(request.binaryOutputs().binary("b")).isTrue();
  }

  @Test
  void binaryDataThatDisagreesWithItsShapeOrTheBodyIsA400NamingIt() {
    String input =
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":SIZE}}]}";
    assertThatThrownBy(() -> decodeBinary(input.replace("SIZE", "8"), littleEndianFloats(1, 2), 0))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("input 'x': binary_data_size 8 but shape [2, 2] of FP32 is 16 bytes");
    assertThatThrownBy(
            () -> decodeBinary(input.replace("SIZE", "16"), littleEndianFloats(1, 2, 3), 0))
        .hasMessage("input 'x': the body ends 4 bytes before its data");
    assertThatThrownBy(
            () -> decodeBinary(input.replace("SIZE", "16"), littleEndianFloats(1, 2, 3, 4, 5), 0))
        .hasMessageContaining("more binary data than the inputs' binary_data_size add up to");
    assertThatThrownBy(() -> decode(input.replace("SIZE", "16")))
        .hasMessageContaining("no Inference-Header-Content-Length header");
  }
}
