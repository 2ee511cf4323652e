package dev.maas.runtime.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** How long the API server's answers are kept, and that the inference path asks once per token. */
class ReviewCacheTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final ReviewCache cache =
      new ReviewCache(Duration.ofSeconds(60), Duration.ofSeconds(10), 3, nanos::get);
  private final List<String> asked = new ArrayList<>();
  private final List<CompletableFuture<AccessDecision>> pending = new ArrayList<>();

  private CompletableFuture<AccessDecision> review(String token) {
    asked.add(token);
    CompletableFuture<AccessDecision> answer = new CompletableFuture<>();
    pending.add(answer);
    return answer;
  }

  private CompletableFuture<AccessDecision> decide(String token) {
    return cache.decide(token, this::review);
  }

  private void later(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  private static String jwt(long exp) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(("{\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8))
        + ".c2ln";
  }

  @Test
  void requestsDuringAReviewWaitForItAndAnAllowedAnswerIsKeptAMinute() {
    CompletableFuture<AccessDecision> first = decide("a");
    CompletableFuture<AccessDecision> second = decide("a");
    assertThat(asked).containsExactly("a");
    assertThat(first).isNotDone();
    pending.get(0).complete(new AccessDecision.Allowed("system:serviceaccount:web:frontend"));
    assertThat(first.join()).isEqualTo(second.join());

    later(Duration.ofSeconds(59));
    assertThat(decide("a")).isCompleted();
    assertThat(asked).hasSize(1);
    later(Duration.ofSeconds(2));
    assertThat(decide("a")).isNotDone();
    assertThat(asked).hasSize(2);
  }

  @Test
  void aRefusalIsKeptTenSecondsSoANewRoleBindingTakesEffectSoon() {
    decide("b");
    pending.get(0).complete(new AccessDecision.Forbidden("u", "no RoleBinding"));
    later(Duration.ofSeconds(9));
    assertThat(decide("b").join()).isInstanceOf(AccessDecision.Forbidden.class);
    assertThat(asked).hasSize(1);
    later(Duration.ofSeconds(2));
    decide("b");
    assertThat(asked).hasSize(2);
  }

  @Test
  void aFailedReviewIsNotKept() {
    CompletableFuture<AccessDecision> failed = decide("c");
    pending.get(0).completeExceptionally(new java.io.IOException("connection refused"));
    assertThat(failed).isCompletedExceptionally();
    decide("c");
    assertThat(asked).hasSize(2);
  }

  @Test
  void anAnswerIsNotKeptPastTheTokensExpiry() {
    String token = jwt(System.currentTimeMillis() / 1000 + 5);
    decide(token);
    pending.get(0).complete(new AccessDecision.Allowed("u"));
    later(Duration.ofSeconds(7));
    decide(token);
    assertThat(asked).as("the token expired before the minute was over").hasSize(2);
    assertThat(ReviewCache.expiresInNanos("not-a-jwt", 0)).isEmpty();
    assertThat(ReviewCache.expiresInNanos(jwt(4_102_444_800L), 0))
        .hasValueSatisfying(left -> assertThat(left).isPositive());
    assertThat(ReviewCache.expiresInNanos(jwt(Long.MAX_VALUE / 2), 0)).isEmpty();
  }

  @Test
  void theLeastRecentlyUsedTokenGoesWhenTheCacheIsFull() {
    for (String token : List.of("t1", "t2", "t3")) {
      decide(token);
    }
    pending.forEach(p -> p.complete(new AccessDecision.Allowed("u")));
    decide("t1");
    decide("t4");
    assertThat(cache.size()).isEqualTo(3);
    decide("t2");
    assertThat(asked).containsExactly("t1", "t2", "t3", "t4", "t2");
    decide("t1");
    assertThat(asked).as("t1 was used since, so t3 went").hasSize(5);
  }

  @Test
  void onlyWhatLooksLikeAServiceAccountTokenIsReviewed() {
    assertThat(Access.looksLikeJwt(jwt(1))).isTrue();
    assertThat(Access.looksLikeJwt("an-api-key-0123456789")).isFalse();
    assertThat(Access.looksLikeJwt("a.b")).isFalse();
    assertThat(Access.looksLikeJwt("a.b.c.d")).isFalse();
  }
}
