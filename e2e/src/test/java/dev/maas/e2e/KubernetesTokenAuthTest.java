package dev.maas.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.Commands;
import dev.maas.operator.testing.Eventually;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --kubernetes-auth} against the real API server: tokens the API server issued
 * (TokenRequest, as {@code kubectl create token} asks for them), reviewed with the runtime's own
 * token of a service account bound to {@code system:auth-delegator}, and RBAC on {@code
 * modeldeployments/infer}; called with curl. The runtime runs as a process on the host here (the
 * pod path, where the operator renders the runtime's service account, is not covered by this test).
 */
@Tag(ClusterTest.TAG)
@ExtendWith(ProcessCluster.class)
class KubernetesTokenAuthTest {
  private static ProcessCluster fixture;
  private static String ns;
  private static Process runtime;
  private static int port;
  @TempDir static Path dir;

  @BeforeAll
  static void start(ProcessCluster shared) throws Exception {
    fixture = shared;
    ns = shared.namespace("tokens");
    kubectl("create", "serviceaccount", "reviewer");
    kubectl("create", "serviceaccount", "caller");
    kubectl("create", "serviceaccount", "stranger");
    kubectl(
        "create",
        "clusterrolebinding",
        ns + "-reviewer",
        "--clusterrole=system:auth-delegator",
        "--serviceaccount=" + ns + ":reviewer");
    kubectl(
        "create",
        "role",
        "infer-digits",
        "--verb=get",
        "--resource=modeldeployments.maas.dev/infer",
        "--resource-name=digits");
    kubectl(
        "create",
        "rolebinding",
        "caller-infers",
        "--role=infer-digits",
        "--serviceaccount=" + ns + ":caller");
    Path reviewerToken = dir.resolve("reviewer.token");
    Files.writeString(reviewerToken, token("reviewer"));
    Path ca = fixture.controlPlane().stateDir().resolve("pki/ca.crt");
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    runtime =
        new ProcessBuilder(
                javaBin(),
                "-jar",
                System.getProperty("maas.runtimeJar"),
                "serve",
                "--grpc-port",
                "0",
                "--model",
                ProcessCluster.EXAMPLES.resolve("models/digits_mlp.pt").toString(),
                "--served-name",
                "digits",
                "--inputs",
                "input:FP32:-1,64",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--warm-up-seconds",
                "0",
                "--cache-dir",
                dir.resolve("cache").toString(),
                "--kubernetes-auth",
                ns + "/digits",
                "--kubernetes-api",
                fixture.controlPlane().config().getMasterUrl(),
                "--kubernetes-token-file",
                reviewerToken.toString(),
                "--kubernetes-ca-file",
                ca.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("runtime.log").toFile())
            .start();
    Eventually.until(
        () -> "the runtime ready; log: " + read(dir.resolve("runtime.log")),
        Duration.ofSeconds(60),
        Duration.ofMillis(250),
        () -> runtime.isAlive() && ProcessCluster.get(url("/v2/health/ready")) == 200);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (runtime != null) {
      runtime.destroy();
      runtime.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aServiceAccountWithInferPermissionIsServedOthersAreRefusedAndANewBindingTakesEffect()
      throws Exception {
    Curl allowed = infer(token("caller"));
    assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
    assertThat(allowed.body()).contains("\"outputs\"");

    Curl stranger = infer(token("stranger"));
    assertThat(stranger.status()).as(stranger.body()).isEqualTo(403);
    assertThat(stranger.body())
        .contains("system:serviceaccount:" + ns + ":stranger may not use this model")
        .contains("modeldeployments/infer 'digits' in namespace " + ns);

    Curl otherAudience = infer(kubectl("create", "token", "caller", "--audience=other").strip());
    assertThat(otherAudience.status()).as(otherAudience.body()).isEqualTo(401);
    assertThat(otherAudience.body()).contains("not valid");

    Curl expired = infer(expiredToken("caller"));
    assertThat(expired.status()).as(expired.body()).isEqualTo(401);

    Curl none = infer(null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body()).contains("Bearer <token>");

    Curl notAToken = infer("an-api-key-this-server-does-not-have");
    assertThat(notAToken.status()).isEqualTo(401);
    assertThat(notAToken.body()).contains("not a Kubernetes token");

    String metrics = curl("-s", url("/metrics")).body();
    assertThat(metrics)
        .containsPattern(
            "maas_caller_requests_total\\{caller=\"system:serviceaccount:"
                + ns
                + ":caller\",model=\"digits\",outcome=\"ok\"\\} 1\\.0");
    assertThat(metrics).doesNotContain(token("caller").substring(0, 40));

    // A refusal is kept for a few seconds, then asked again: a new RoleBinding takes effect.
    String strangerToken = token("stranger");
    assertThat(infer(strangerToken).status()).isEqualTo(403);
    kubectl(
        "create",
        "rolebinding",
        "stranger-infers",
        "--role=infer-digits",
        "--serviceaccount=" + ns + ":stranger");
    Instant bound = Instant.now();
    Eventually.until(
        () -> "the stranger's refusal to expire",
        Duration.ofSeconds(30),
        Duration.ofMillis(500),
        () -> infer(strangerToken).status() == 200);
    assertThat(Duration.between(bound, Instant.now())).isLessThan(Duration.ofSeconds(15));
  }

  private record Curl(int status, String body) {}

  private static Curl infer(String token) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-s",
                "-H",
                "Content-Type: application/json",
                "--data",
                "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,64],"
                    + "\"data\":"
                    + "["
                    + String.join(",", java.util.Collections.nCopies(64, "0.5"))
                    + "]}]}"));
    if (token != null) {
      args.addAll(List.of("-H", "Authorization: Bearer " + token));
    }
    args.add(url("/v2/models/digits/infer"));
    return curl(args.toArray(String[]::new));
  }

  private static Curl curl(String... args) {
    List<String> command = new ArrayList<>(List.of("curl", "-o", "-", "-w", "\n%{http_code}"));
    command.addAll(List.of(args));
    String output = succeeded(command).stdout();
    int newline = output.lastIndexOf('\n');
    String code = output.substring(newline + 1).strip();
    return new Curl(
        code.matches("\\d{3}") ? Integer.parseInt(code) : -1,
        newline < 0 ? output : output.substring(0, newline));
  }

  /** A token the API server issues for the service account (TokenRequest, one hour). */
  private static String token(String serviceAccount) {
    return kubectl("create", "token", serviceAccount).strip();
  }

  /**
   * A token like the API server's own for the service account, signed with the cluster's
   * service-account key, that expired a minute ago: the only way to hold an expired one without
   * waiting out TokenRequest's ten-minute minimum.
   */
  private static String expiredToken(String serviceAccount) {
    String uid =
        kubectl("get", "serviceaccount", serviceAccount, "-o", "jsonpath={.metadata.uid}").strip();
    long now = Instant.now().getEpochSecond();
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String claims =
        "{\"aud\":[\"https://kubernetes.default.svc.cluster.local\"],"
            + "\"exp\":"
            + (now - 60)
            + ",\"iat\":"
            + (now - 3660)
            + ",\"nbf\":"
            + (now - 3660)
            + ",\"iss\":\"https://kubernetes.default.svc.cluster.local\","
            + "\"kubernetes.io\":{\"namespace\":\""
            + ns
            + "\",\"serviceaccount\":{\"name\":\""
            + serviceAccount
            + "\",\"uid\":\""
            + uid
            + "\"}},"
            + "\"sub\":\"system:serviceaccount:"
            + ns
            + ":"
            + serviceAccount
            + "\"}";
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Path input = Files.writeString(dir.resolve("jwt-input"), signingInput);
      Path signature = dir.resolve("jwt-signature");
      succeeded(
          List.of(
              "openssl",
              "dgst",
              "-sha256",
              "-sign",
              fixture.controlPlane().stateDir().resolve("pki/sa.key").toString(),
              "-out",
              signature.toString(),
              input.toString()));
      return signingInput + "." + b64.encodeToString(Files.readAllBytes(signature));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String kubectl(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("-n", ns));
    return fixture.controlPlane().kubectl(all.toArray(String[]::new));
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String read(Path file) {
    try {
      String text = Files.readString(file);
      return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
    } catch (IOException e) {
      return "(none)";
    }
  }

  /** A command run to its end; it must succeed. */
  private static Commands.Result succeeded(List<String> command) {
    Commands.Result result = Commands.run(command, java.util.Map.of(), Duration.ofMinutes(1));
    assertThat(result.exitCode()).as(command + ": " + result).isZero();
    return result;
  }
}
