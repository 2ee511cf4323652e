package dev.maas.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one line the operator writes and the runtime parses. */
class SignatureFormatTest {
  @Test
  void whatIsFormattedParsesBackToTheSameSignature() {
    List<TensorSignature> inputs =
        List.of(
            new TensorSignature("input", Datatype.FP32, new long[] {-1, 64}),
            new TensorSignature("mask", Datatype.BOOL, new long[] {-1, 8, 8}));
    String line = SignatureFormat.format(inputs);
    assertThat(line).isEqualTo("input:FP32:-1,64;mask:BOOL:-1,8,8");
    assertThat(SignatureFormat.parse(line)).isEqualTo(inputs);
  }

  @Test
  void everyDatatypeOfTheContractRoundTrips() {
    for (Datatype datatype : Datatype.values()) {
      String line = "x:" + datatype + ":-1,3";
      assertThat(SignatureFormat.format(SignatureFormat.parse(line))).isEqualTo(line);
    }
  }

  @Test
  void mistakesAreOneLineNamingTheInput() {
    assertThatThrownBy(() -> SignatureFormat.parse("input:FP32"))
        .hasMessage(
            "input signature 'input:FP32' must be name:DATATYPE:dims, e.g. input:FP32:-1,64");
    assertThatThrownBy(() -> SignatureFormat.parse("input:BF16:-1,64"))
        .hasMessageStartingWith("input 'input': unsupported datatype BF16; supported: [BOOL");
    assertThatThrownBy(() -> SignatureFormat.parse("input:INT16:-1,64"))
        .hasMessageContaining("unsupported datatype INT16");
    assertThatThrownBy(() -> SignatureFormat.parse("input:FP32:8,64"))
        .hasMessage(
            "input 'input': the first dim is the batch and must be -1, e.g. input:FP32:-1,8,64");
    assertThatThrownBy(() -> SignatureFormat.parse("input:FP32:-1,x"))
        .hasMessage("input 'input': dims must be integers or -1");
    assertThatThrownBy(() -> SignatureFormat.parse("input:FP32:-1,0"))
        .hasMessage("input 'input': each dim must be positive or -1");
    assertThatThrownBy(() -> SignatureFormat.parse("a:FP32:-1;a:FP32:-1"))
        .hasMessage("input 'a' is declared twice");
    assertThatThrownBy(() -> SignatureFormat.parse(" ; "))
        .hasMessage("input signature declares no inputs");
  }
}
