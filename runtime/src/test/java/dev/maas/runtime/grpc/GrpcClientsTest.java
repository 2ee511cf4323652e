package dev.maas.runtime.grpc;

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
 * The gRPC API as clients nobody here wrote call it: Triton's {@code tritonclient.grpc} (raw
 * tensors, callback-based async inference) and the KServe SDK's {@code InferenceGRPCClient}
 * (grpc.aio; typed contents and raw), generated from their own copies of the protocol's .proto,
 * against real servers on real sockets.
 */
class GrpcClientsTest {
  private static ClientScripts clients;

  @BeforeAll
  static void clientEnvironment() throws Exception {
    clients = ClientScripts.setUp();
  }

  private static ServeConfig digits() {
    return TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 32)
        .withOutputNames(List.of("logits"))
        .withGrpcPort(0);
  }

  private static String grpcAddress(TestServer server) {
    return "127.0.0.1:" + server.server().grpcPort().getAsInt();
  }

  @Test
  void digitsThroughTritonsGrpcClientAndTheKServeSdk() throws Exception {
    try (TestServer server = TestServer.start(digits())) {
      Run triton =
          clients.script(
              "triton_grpc_check.py",
              grpcAddress(server),
              "digits",
              "digits",
              TestModels.digitsTestSet().toString());
      assertThat(triton.exit()).as(triton.output()).isZero();
      assertThat(triton.output())
          .contains("held-out accuracy through tritonclient.grpc: 0.9778")
          .contains("digits checks passed");
      Run kserve =
          clients.script(
              "kserve_grpc_check.py",
              grpcAddress(server),
              "digits",
              TestModels.digitsTestSet().toString());
      assertThat(kserve.exit()).as(kserve.output()).isZero();
      assertThat(kserve.output())
          .contains("held-out accuracy through the KServe SDK over gRPC: 0.9778")
          .contains("kserve grpc checks passed");
    }
  }

  /** echo.pt returns its input: each datatype at its edges must come back bit for bit. */
  @Test
  void everyDatatypeThroughTritonsGrpcClientAndTheKServeSdk() throws Exception {
    try (TestServer server =
        TestServer.start(TestServer.config(TestModels.echo(), "echo", null, 8).withGrpcPort(0))) {
      Run triton = clients.script("triton_grpc_check.py", grpcAddress(server), "echo", "echo");
      assertThat(triton.exit()).as(triton.output()).isZero();
      assertThat(triton.output()).contains("8 datatypes round-tripped exactly over gRPC");
      Run kserve = clients.script("kserve_grpc_check.py", grpcAddress(server), "echo", "--echo");
      assertThat(kserve.exit()).as(kserve.output()).isZero();
      assertThat(kserve.output())
          .contains(
              "15 tensors of 8 datatypes round-tripped exactly through the KServe SDK over gRPC,"
                  + " as typed and as raw contents");
    }
  }

  /**
   * An API key and TLS apply to gRPC as to REST: tritonclient.grpc over TLS with the test CA,
   * refused without the key and with a wrong one, served with it.
   */
  @Test
  void aProtectedModelOverGrpcWithTls(@TempDir Path temp) throws Exception {
    String key = "key-of-the-grpc-clients-test";
    SecretVolume keys = new SecretVolume(temp.resolve("keys")).write(Map.of("clients", key));
    TestCertificates ca = TestCertificates.authority(temp.resolve("ca"));
    TestCertificates.Issued issued = ca.issue("localhost", TestCertificates.KeyKind.EC_SEC1);
    ServeConfig config = digits().withApiKeys(keys.dir()).withTls(issued.cert(), issued.key());
    try (TestServer server = TestServer.start(config)) {
      Run triton =
          clients.script(
              "triton_grpc_check.py",
              "localhost:" + server.server().grpcPort().getAsInt(),
              "digits",
              "digits",
              TestModels.digitsTestSet().toString(),
              "--ca",
              ca.caCert().toString(),
              "--token",
              key);
      assertThat(triton.exit()).as(triton.output()).isZero();
      assertThat(triton.output())
          .contains("without the credential: UNAUTHENTICATED")
          .contains("digits checks passed");
    }
  }
}
