package dev.maas.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

class ModelFailureTest {
  private static final String TORCHSCRIPT =
      """
      The following operation failed in the TorchScript interpreter.
      Traceback of TorchScript, serialized code (most recent call last):
        File "code/__torch__.py", line 12, in forward
          embedding = self.embedding
          _0 = torch.embedding(embedding.weight, tokens)
               ~~~~~~~~~~~~~~~ <--- HERE
      RuntimeError: index out of range in self
      """;

  @Test
  void theCauseLineOfATorchScriptTracebackIsTheClientsAnswer() {
    HttpError error = ModelFailure.of(TORCHSCRIPT).toHttpError();
    assertThat(error.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    assertThat(error.message())
        .isEqualTo("the model could not run on this input: index out of range in self");
  }

  @Test
  void runningOutOfMemoryIsTheServersFaultAndRetryable() {
    HttpError error =
        ModelFailure.of("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB")
            .toHttpError();
    assertThat(error.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
    assertThat(error.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void aLongCauseIsBoundedAndAMessageWithoutAnErrorLineKeepsItsLastLine() {
    String cause = "x".repeat(5000);
    assertThat(ModelFailure.of("RuntimeError: " + cause).cause())
        .hasSize(ModelFailure.MAX_CAUSE + 3);
    assertThat(ModelFailure.of("first\nsecond\n").cause()).isEqualTo("second");
    assertThat(ModelFailure.of(null).cause()).isEqualTo("unknown error");
  }
}
