package dev.maas.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.runtime.ClientScripts;
import dev.maas.runtime.ClientScripts.Run;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import dev.maas.runtime.access.SecretVolume;
import dev.maas.runtime.server.ServeConfig;
import dev.maas.runtime.tls.TestCertificates;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol as a client nobody here wrote speaks it: Triton's {@code tritonclient.http} (pinned
 * in runtime/clients/requirements.txt, installed into a cached virtual environment by
 * runtime/clients/setup.sh) runs runtime/clients/triton_client_check.py against real servers:
 * health, metadata, async inference with output selection and request ids, inputs bound by name,
 * INT64, and its errors (404, 400), with tensors as JSON and as binary tensor data (tritonclient's
 * default).
 */
class OipClientsTest {
  private static ClientScripts clients;

  @BeforeAll
  static void clientEnvironment() throws Exception {
    clients = ClientScripts.setUp();
  }

  @Test
  void digitsThroughTritonClient() throws Exception {
    try (TestServer server =
        TestServer.start(
            TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 32)
                .withOutputNames(List.of("logits")))) {
      check(server, "digits", "digits", TestModels.digitsTestSet().toString());
    }
  }

  @Test
  void digitsThroughTheKServeSdk() throws Exception {
    try (TestServer server =
        TestServer.start(
            TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 32)
                .withOutputNames(List.of("logits")))) {
      Run result =
          clients.script(
              "kserve_client_check.py",
              "http://127.0.0.1:" + server.port(),
              "digits",
              TestModels.digitsTestSet().toString());
      assertThat(result.exit()).as(result.output()).isZero();
      assertThat(result.output()).contains("kserve checks passed");
    }
  }

  @Test
  void twoInputsByNameAndOutputSelectionThroughTritonClient() throws Exception {
    try (TestServer server =
        TestServer.start(
            TestServer.config(TestModels.twoInputs(), "pair", "a:FP32:-1,4;b:FP32:-1,4", 8)
                .withOutputNames(List.of("mix", "product")))) {
      check(server, "pair", "pair", null);
    }
  }

  @Test
  void int64InputsThroughTritonClient() throws Exception {
    try (TestServer server =
        TestServer.start(
            TestServer.config(TestModels.tokenClassifier(), "tokens", "tokens:INT64:-1,8", 8))) {
      check(server, "tokens", "tokens", null);
    }
  }

  /** echo.pt declares nothing: its input binds by forward's own name, x, whatever its datatype. */
  @Test
  void everyDatatypeThroughTritonClientAndTheKServeSdk() throws Exception {
    try (TestServer server =
        TestServer.start(TestServer.config(TestModels.echo(), "echo", null, 8))) {
      check(server, "echo", "echo", null);
      Run kserve =
          clients.script(
              "kserve_client_check.py", "http://127.0.0.1:" + server.port(), "echo", "--echo");
      assertThat(kserve.exit()).as(kserve.output()).isZero();
      assertThat(kserve.output())
          .contains(
              "15 tensors of 8 datatypes round-tripped exactly through the KServe SDK, as JSON and"
                  + " as binary tensor data");
    }
  }

  /**
   * A model protected by an API key, over HTTP and then HTTPS with a certificate openssl made:
   * tritonclient and the KServe SDK with their own headers and TLS arguments.
   */
  @Test
  void aProtectedModelThroughTritonClientAndTheKServeSdk(@TempDir Path temp) throws Exception {
    String key = "key-of-the-clients-test";
    SecretVolume keys = new SecretVolume(temp.resolve("keys")).write(Map.of("clients", key));
    TestCertificates ca = TestCertificates.authority(temp.resolve("ca"));
    TestCertificates.Issued issued = ca.issue("digits", TestCertificates.KeyKind.RSA_PKCS1);
    ServeConfig plain =
        TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 32)
            .withApiKeys(keys.dir());
    for (ServeConfig config : List.of(plain, plain.withTls(issued.cert(), issued.key()))) {
      boolean https = config.tls().isPresent();
      try (TestServer server = TestServer.start(config)) {
        List<String> args =
            new java.util.ArrayList<>(List.of("localhost:" + server.port(), "digits", key));
        if (https) {
          args.addAll(List.of("--ca", ca.caCert().toString()));
        }
        Run result = clients.script("access_client_check.py", args);
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("access checks passed (" + (https ? "https" : "http"));
      }
    }
  }

  private static void check(TestServer server, String kind, String name, String data)
      throws Exception {
    List<String> args =
        new java.util.ArrayList<>(List.of("127.0.0.1:" + server.port(), kind, name));
    if (data != null) {
      args.add(data);
    }
    Run result = clients.script("triton_client_check.py", args);
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains(kind + " checks passed");
  }
}
