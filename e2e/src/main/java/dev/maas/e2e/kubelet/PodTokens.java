package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service-account tokens of one pod's projected volumes, requested as kubelet requests them
 * (TokenRequest for the pod's account, bound to the pod, so the token dies with it) and requested
 * again once 80% of a token's lifetime has passed.
 */
final class PodTokens {
  private final KubernetesClient client;
  private final Pod pod;
  private final Map<String, Issued> byProjection = new ConcurrentHashMap<>();

  private record Issued(String token, Instant renewAt) {}

  PodTokens(KubernetesClient client, Pod pod) {
    this.client = client;
    this.pod = pod;
  }

  String token(ServiceAccountTokenProjection projection) {
    String key = projection.getPath() + "|" + projection.getAudience();
    Issued issued = byProjection.get(key);
    if (issued != null && Instant.now().isBefore(issued.renewAt())) {
      return issued.token();
    }
    long seconds =
        projection.getExpirationSeconds() == null ? 3600 : projection.getExpirationSeconds();
    String account = Optional.ofNullable(pod.getSpec().getServiceAccountName()).orElse("default");
    TokenRequest request =
        new TokenRequestBuilder()
            .withNewSpec()
            .withAudiences(
                projection.getAudience() == null || projection.getAudience().isBlank()
                    ? List.of()
                    : List.of(projection.getAudience()))
            .withExpirationSeconds(seconds)
            .withNewBoundObjectRef()
            .withApiVersion("v1")
            .withKind("Pod")
            .withName(pod.getMetadata().getName())
            .withUid(pod.getMetadata().getUid())
            .endBoundObjectRef()
            .endSpec()
            .build();
    TokenRequest answer =
        client
            .serviceAccounts()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(account)
            .tokenRequest(request);
    Instant issuedAt = Instant.now();
    Instant expires = Instant.parse(answer.getStatus().getExpirationTimestamp());
    Instant renewAt =
        issuedAt.plus(Duration.between(issuedAt, expires).multipliedBy(8).dividedBy(10));
    byProjection.put(key, new Issued(answer.getStatus().getToken(), renewAt));
    return answer.getStatus().getToken();
  }
}
