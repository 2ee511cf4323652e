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
}
