package dev.maas.runtime.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.maas.contract.ShadowSettings;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import dev.maas.runtime.access.SecretVolume;
import dev.maas.runtime.server.ServeConfig;
import dev.maas.runtime.tls.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary of a protected model: the candidate runs with the same access settings as the serving
 * pods (the same keys, the same certificate), and the serving pod's copies pass its access control
 * with the caller's own credential, over HTTPS when the pods speak it (the candidate's certificate
 * is the serving pod's own, pinned).
 */
class ProtectedShadowMirrorTest {
  private static final String ROW =
      "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,64],\"data\":"
          + "[0,0,0,1,1,0,0,0,0,0,1,1,1,1,0,0,0,0,1,0,0,1,0,0,0,0,0,0,1,1,0,0,"
          + "0,0,0,1,1,0,0,0,0,0,1,1,0,0,0,0,0,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0]}]}";

  @TempDir Path dir;

  @Test
  void copiesCarryTheCallersKeyToACandidateBehindTheSameKeys() throws Exception {
    mirrorsTenCopies(false);
  }

  @Test
  void copiesReachAnHttpsCandidateThroughItsPinnedCertificate() throws Exception {
    mirrorsTenCopies(true);
  }

  private void mirrorsTenCopies(boolean https) throws Exception {
    SecretVolume keys =
        new SecretVolume(dir.resolve("keys"))
            .write(Map.of("a-web", "web-key", "b-batch", "batch-key"));
    Path settings = dir.resolve("shadow.properties");
    HttpClient client;
    SecretVolume tls = null;
    if (https) {
      TestCertificates ca = TestCertificates.authority(dir.resolve("ca"));
      TestCertificates.Issued issued = ca.issue("digits", TestCertificates.KeyKind.EC_SEC1);
      tls =
          new SecretVolume(dir.resolve("tls"))
              .write(Map.of("tls.crt", issued.certPem(), "tls.key", issued.keyPem()));
      client = HttpClient.newBuilder().sslContext(ca.clientContext()).build();
    } else {
      client = HttpClient.newHttpClient();
    }
    String scheme = https ? "https" : "http";
    try (TestServer candidate = TestServer.start(protect(TestModels.digitsQuantized(), keys, tls));
        TestServer stable =
            TestServer.start(
                protect(TestModels.digitsMlp(), keys, tls).withShadowConfig(settings))) {
      Files.writeString(
          settings,
          new ShadowSettings("2", 100, List.of(scheme + "://127.0.0.1:" + candidate.port()))
              .render());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> metrics(client, scheme, stable).contains("candidate=\"2\""));
      Thread.sleep(1000);
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> answer =
            client.send(
                HttpRequest.newBuilder(
                        URI.create(
                            scheme + "://127.0.0.1:" + stable.port() + "/v2/models/digits/infer"))
                    .header("Authorization", "Bearer batch-key")
                    .POST(HttpRequest.BodyPublishers.ofString(ROW))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  metrics(client, scheme, stable)
                      .contains(
                          "maas_shadow_requests_total{candidate=\"2\",result=\"compared\"} 10.0"));
      assertThat(metrics(client, scheme, candidate))
          .as("the copies came with the caller's key")
          .contains(
              "maas_caller_requests_total{caller=\"b-batch\",model=\"digits\",outcome=\"ok\"} 10.0")
          .doesNotContain("reason=\"unauthenticated\"");
    }
  }

  private static ServeConfig protect(Path model, SecretVolume keys, SecretVolume tls) {
    ServeConfig config =
        TestServer.config(model, "digits", "input:FP32:-1,64", 8).withApiKeys(keys.dir());
    return tls == null
        ? config
        : config.withTls(tls.dir().resolve("tls.crt"), tls.dir().resolve("tls.key"));
  }

  private static String metrics(HttpClient client, String scheme, TestServer server)
      throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(
                    URI.create(scheme + "://127.0.0.1:" + server.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
