package dev.maas.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.runtime.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forward's parameter names, read from the archives torch.jit.save wrote. */
class ForwardSignatureTest {

  @Test
  void readsTheParameterNamesOfEveryTestModel() {
    assertThat(ForwardSignature.read(TestModels.digitsMlp()).orElseThrow().names())
        .containsExactly("x");
    assertThat(ForwardSignature.read(TestModels.digitsCnn()).orElseThrow().names())
        .containsExactly("x");
    assertThat(ForwardSignature.read(TestModels.twoInputs()).orElseThrow().names())
        .containsExactly("a", "b");
    assertThat(ForwardSignature.read(TestModels.tokenClassifier()).orElseThrow().names())
        .containsExactly("tokens");
    // Its root class lives in a mangled module (code/__torch__/___torch_mangle_43.py).
    assertThat(ForwardSignature.read(TestModels.digitsQuantized()).orElseThrow().names())
        .containsExactly("x");
  }

  @Test
  void aFileThatIsNotATorchScriptArchiveHasNoSignature(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("model.pt"), "not a zip");
    assertThat(ForwardSignature.read(text)).isEmpty();
    assertThat(ForwardSignature.read(tmp.resolve("missing.pt"))).isEmpty();
  }

  @Test
  void typesWithCommasDefaultsAndQuotesAreParsed() {
    String code =
        """
        class Inner(Module):
          def forward(self: __torch__.Inner,
            wrong: Tensor) -> Tensor:
            return wrong
        class Net(Module):
          __parameters__ = []
          def helper(self: __torch__.Net, z: Tensor) -> Tensor:
            return z
          def forward(self: __torch__.Net,
            ids: Tensor,
            pair: Tuple[Tensor, Dict[str, Tensor]],
            mask: Optional[Tensor]=None,
            mode: str="a,b)") -> Tuple[Tensor, Tensor]:
            return (ids, ids)
        """;
    ForwardSignature forward = ForwardSignature.parseForward(code, "Net").orElseThrow();
    assertThat(forward.names()).containsExactly("ids", "pair", "mask", "mode");
    assertThat(forward.parameters().get(1).type()).isEqualTo("Tuple[Tensor, Dict[str, Tensor]]");
    assertThat(forward.required()).isEqualTo(2);
    assertThat(forward.describe()).isEqualTo("(ids, pair, mask, mode)");
    assertThat(ForwardSignature.parseForward(code, "Missing")).isEmpty();
  }

  @Test
  void theRootClassComesFromThePicklesFirstGlobal() {
    byte[] pickle =
        "\u0080\u0002c__torch__.___torch_mangle_3\nNet\nq\u0000"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(ForwardSignature.rootClass(pickle))
        .containsExactly("__torch__.___torch_mangle_3", "Net");
    assertThat(
            ForwardSignature.rootClass(
                "\u0080\u0002}q\u0000".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
        .isNull();
  }
}
