package dev.maas.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import dev.maas.runtime.access.SecretVolume;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API keys from a directory laid out and updated as kubelet does a Secret volume: who gets in, what
 * the refused are told, what is counted, and a rotation and a revocation taking effect without a
 * restart.
 */
class AuthenticationTest {
  private static final String ROW =
      "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,64],\"data\":"
          + "[0,0,0,1,1,0,0,0,0,0,1,1,1,1,0,0,0,0,1,0,0,1,0,0,0,0,0,0,1,1,0,0,"
          + "0,0,0,1,1,0,0,0,0,0,1,1,0,0,0,0,0,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0]}]}";
  private static final String INFER = "/v2/models/digits/infer";
  private static final String WEB_KEY = "k3y-for-the-web-frontend_0123456789";
  private static final String BATCH_KEY = "another.key~for/batch+jobs=";

  @TempDir Path temp;
  private SecretVolume keys;
  private TestServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void protectedServer() throws Exception {
    keys = new SecretVolume(temp.resolve("keys")).write(Map.of("web", WEB_KEY, "batch", BATCH_KEY));
    server =
        TestServer.start(
            TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 32)
                .withApiKeys(keys.dir())
                .withWarmUp(Duration.ofMillis(300)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void onlyAKnownKeyReachesTheModelAndTheRefusedAreToldWhyInJson() throws Exception {
    HttpResponse<String> none = call("POST", INFER, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"digits\"");
    assertThat(TestServer.json(none).get("error").asText()).contains("Authorization: Bearer");

    HttpResponse<String> wrong = call("POST", INFER, "Bearer " + WEB_KEY + "x");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
    assertThat(TestServer.json(wrong).get("error").asText())
        .isEqualTo("the credential is not a known API key");

    for (String malformed : new String[] {"Basic d2ViOmtleQ==", "Bearer", "Bearer a b", WEB_KEY}) {
      HttpResponse<String> answer = call("POST", INFER, malformed);
      assertThat(answer.statusCode()).as(malformed).isEqualTo(401);
      assertThat(TestServer.json(answer).get("error").asText()).contains("malformed");
    }
    assertThat(call("GET", "/v2/models/digits", null).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/v2/models/digits/ready", null).statusCode()).isEqualTo(401);

    assertThat(call("POST", INFER, "Bearer " + WEB_KEY).statusCode()).isEqualTo(200);
    assertThat(call("POST", INFER, "bearer " + BATCH_KEY).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/v2/models/digits", "Bearer " + WEB_KEY).statusCode()).isEqualTo(200);

    // Probes and scrapes need no credential.
    assertThat(call("GET", "/v2/health/ready", null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/v2/health/live", null).statusCode()).isEqualTo(200);
    String metrics = call("GET", "/metrics", null).body();
    assertThat(metrics)
        .contains("maas_caller_requests_total{caller=\"web\",model=\"digits\",outcome=\"ok\"} 1.0")
        .contains(
            "maas_caller_requests_total{caller=\"batch\",model=\"digits\",outcome=\"ok\"} 1.0")
        .contains("maas_denied_requests_total{model=\"digits\",reason=\"unauthenticated\"} 8.0")
        .contains("maas_requests_total{model=\"digits\",outcome=\"unauthenticated\"} 6.0")
        .contains("maas_requests_total{model=\"digits\",outcome=\"ok\"} 2.0")
        .doesNotContain(WEB_KEY)
        .doesNotContain(BATCH_KEY)
        .doesNotContain("warm-up");
  }

  @Test
  void aRotatedKeyIsRefusedAndItsSuccessorAcceptedWithoutARestart() throws Exception {
    String rotated = "the-web-frontends-next-key";
    keys.write(Map.of("web", rotated, "batch", BATCH_KEY));
    await(() -> call("POST", INFER, "Bearer " + WEB_KEY).statusCode() == 401);
    assertThat(call("POST", INFER, "Bearer " + rotated).statusCode()).isEqualTo(200);
    assertThat(call("POST", INFER, "Bearer " + BATCH_KEY).statusCode()).isEqualTo(200);

    keys.write(Map.of("web", rotated));
    await(() -> call("POST", INFER, "Bearer " + BATCH_KEY).statusCode() == 401);
    assertThat(call("POST", INFER, "Bearer " + rotated).statusCode()).isEqualTo(200);
  }

  @Test
  void aHugeOrBrokenAuthorizationHeaderIsAnsweredAndTheServerKeepsServing() throws Exception {
    String huge = "Bearer " + "a".repeat(1 << 20);
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + INFER
                  + " HTTP/1.1\r\nHost: x\r\nAuthorization: "
                  + huge
                  + "\r\n"
                  + "Content-Length: 2\r\n\r\n{}")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(status).startsWith("HTTP/1.1 4");
    } catch (java.net.SocketException closedWhileWriting) {
      // Closing the connection on a header this large is as clean an answer as a 4xx.
    }
    HttpResponse<String> control = call("POST", INFER, "Bearer " + "x".repeat(4000));
    assertThat(control.statusCode()).isEqualTo(401);
    assertThat(call("POST", INFER, "Bearer " + WEB_KEY).statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> call(String method, String path, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri(path))
            .method(
                method,
                method.equals("POST")
                    ? HttpRequest.BodyPublishers.ofString(ROW)
                    : HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void await(Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!check.holds()) {
      assertThat(System.nanoTime()).as("within 10 s").isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
