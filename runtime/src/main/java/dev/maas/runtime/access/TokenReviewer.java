package dev.maas.runtime.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas.contract.InferPermission;
import dev.maas.contract.ServeFlags;
import dev.maas.runtime.tls.PemFiles;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the API server about a caller's token, as kube-rbac-proxy and kubelet's webhook mode do: a
 * TokenReview says who the token is (for the API server's own audiences: a token made for another
 * audience, an expired one or one of a deleted service account is not), and a SubjectAccessReview
 * whether that user may {@code get} {@code modeldeployments/infer} of this ModelDeployment. The
 * runtime's own token (which needs only {@code create} on both reviews) is read again for every
 * review, as kubelet rotates it. Never blocks: the answers come on the HTTP client's threads.
 */
public final class TokenReviewer {
  private static final Logger LOG = LoggerFactory.getLogger(TokenReviewer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final KubernetesAuth auth;
  private final HttpClient http;
  private final AtomicBoolean warnedAboutPermission = new AtomicBoolean();

  private TokenReviewer(KubernetesAuth auth, HttpClient http) {
    this.auth = auth;
    this.http = http;
  }

  /**
   * @throws IllegalArgumentException naming the flag whose file cannot be read
   */
  public static TokenReviewer start(KubernetesAuth auth) {
    ownToken(auth);
    return new TokenReviewer(
        auth,
        HttpClient.newBuilder()
            .sslContext(trusting(auth.caFile()))
            .connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build());
  }

  private static SSLContext trusting(Path caFile) {
    try {
      X509Certificate[] cas =
          PemFiles.certificates(Files.readAllBytes(caFile), ServeFlags.KUBERNETES_CA_FILE);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < cas.length; i++) {
        store.setCertificateEntry("ca-" + i, cas[i]);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          ServeFlags.KUBERNETES_CA_FILE
              + " "
              + caFile
              + " cannot be read as PEM certificates: "
              + e);
    }
  }

  private static String ownToken(KubernetesAuth auth) {
    try {
      String token = Files.readString(auth.tokenFile(), StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new IllegalArgumentException(
            ServeFlags.KUBERNETES_TOKEN_FILE + " " + auth.tokenFile() + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          ServeFlags.KUBERNETES_TOKEN_FILE
              + " "
              + auth.tokenFile()
              + " cannot be read (the runtime needs a service-account token of its own for "
              + ServeFlags.KUBERNETES_AUTH
              + "): "
              + e);
    }
  }

  /** Who the token is and whether it may call the model; fails when the API server cannot say. */
  public CompletableFuture<AccessDecision> review(String token) {
    ObjectNode review = JSON.createObjectNode();
    review.put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview");
    review.putObject("spec").put("token", token);
    return post("/apis/authentication.k8s.io/v1/tokenreviews", "TokenReview", review)
        .thenCompose(
            answer -> {
              JsonNode status = answer.path("status");
              if (!status.path("authenticated").asBoolean(false)) {
                String error = status.path("error").asText("");
                return CompletableFuture.completedFuture(
                    new AccessDecision.Unauthenticated(
                        "the Kubernetes token is not valid here"
                            + (error.isBlank() ? "" : ": " + error),
                        true));
              }
              return authorize(status.path("user"));
            });
  }

  private CompletableFuture<AccessDecision> authorize(JsonNode user) {
    String username = user.path("username").asText();
    ObjectNode review = JSON.createObjectNode();
    review.put("apiVersion", "authorization.k8s.io/v1").put("kind", "SubjectAccessReview");
    ObjectNode spec = review.putObject("spec");
    spec.put("user", username);
    if (user.hasNonNull("uid")) {
      spec.put("uid", user.get("uid").asText());
    }
    if (user.path("groups").isArray()) {
      spec.set("groups", user.get("groups"));
    }
    if (user.path("extra").isObject()) {
      spec.set("extra", user.get("extra"));
    }
    spec.putObject("resourceAttributes")
        .put("namespace", auth.namespace())
        .put("verb", InferPermission.VERB)
        .put("group", InferPermission.GROUP)
        .put("resource", InferPermission.RESOURCE)
        .put("subresource", InferPermission.SUBRESOURCE)
        .put("name", auth.name());
    return post("/apis/authorization.k8s.io/v1/subjectaccessreviews", "SubjectAccessReview", review)
        .thenApply(
            answer -> {
              JsonNode status = answer.path("status");
              if (status.path("allowed").asBoolean(false)) {
                return new AccessDecision.Allowed(username);
              }
              String reason = status.path("reason").asText("");
              return new AccessDecision.Forbidden(
                  username,
                  "it needs RBAC permission to get modeldeployments/infer '"
                      + auth.name()
                      + "' in namespace "
                      + auth.namespace()
                      + (reason.isBlank() ? "" : " (" + reason + ")"));
            });
  }

  private CompletableFuture<JsonNode> post(String path, String kind, JsonNode body) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(auth.api().resolve(path))
              .timeout(TIMEOUT)
              .header("Authorization", "Bearer " + ownToken(auth))
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
              .build();
    } catch (IOException | IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(response -> answer(kind, response));
  }

  private JsonNode answer(String kind, HttpResponse<byte[]> response) {
    int code = response.statusCode();
    String text = new String(response.body(), StandardCharsets.UTF_8);
    if (code == 200 || code == 201) {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new CompletionException(
            new IOException("the API server's " + kind + " answer is not JSON", e));
      }
    }
    String message = kind + " answered " + code + " by " + auth.api();
    if ((code == 401 || code == 403) && warnedAboutPermission.compareAndSet(false, true)) {
      LOG.warn(
          "{}: the runtime's own token ({}) may not create {}s: bind its service account to the"
              + " ClusterRole system:auth-delegator",
          message,
          auth.tokenFile(),
          kind);
    }
    throw new CompletionException(new IOException(message));
  }
}
