package dev.maas.runtime.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BatchQueueTest {
  private static PendingInference pending(String key, long rows) {
    return new PendingInference(List.of(), key, rows, System.nanoTime(), new CompletableFuture<>());
  }

  @Test
  void joinsOnlyRequestsWithTheSameKey() throws InterruptedException {
    BatchQueue queue = new BatchQueue(100, 8, 0, 1, new PassCosts());
    PendingInference a1 = pending("a", 1);
    PendingInference b1 = pending("b", 1);
    PendingInference a2 = pending("a", 1);
    queue.add(a1);
    queue.add(b1);
    queue.add(a2);
    assertThat(queue.takeBatch()).containsExactly(a1, a2);
    assertThat(queue.takeBatch()).containsExactly(b1);
  }

  @Test
  void neverExceedsMaxRowsUnlessOneRequestIsLargerOnItsOwn() throws InterruptedException {
    BatchQueue queue = new BatchQueue(100, 4, 0, 1, new PassCosts());
    PendingInference big = pending("a", 10);
    PendingInference three = pending("a", 3);
    PendingInference two = pending("a", 2);
    queue.add(big);
    queue.add(three);
    queue.add(two);
    assertThat(queue.takeBatch()).containsExactly(big);
    assertThat(queue.takeBatch()).containsExactly(three);
    assertThat(queue.takeBatch()).containsExactly(two);
  }

  @Test
  void whileABatchRunsTheNextOneWaitsToFill() throws InterruptedException {
    BatchQueue queue = new BatchQueue(100, 3, 10_000, 1, new PassCosts());
    queue.add(pending("a", 1));
    assertThat(queue.takeBatch()).hasSize(1); // nothing running: cut at once
    queue.add(pending("a", 1));
    queue.add(pending("a", 1));
    queue.add(pending("a", 1));
    assertThat(queue.takeBatch()).as("fills up to maxRows while one runs").hasSize(3);
  }

  @Test
  void waitsAtMostTheMaxDelayForABatchToFill() throws InterruptedException {
    BatchQueue queue = new BatchQueue(100, 32, 30, 1, new PassCosts());
    queue.add(pending("a", 1));
    queue.takeBatch(); // a batch is now running
    queue.add(pending("a", 1));
    long start = System.nanoTime();
    assertThat(queue.takeBatch()).hasSize(1);
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(waitedMillis).isBetween(20L, 2_000L);
  }

  @Test
  void refusesBeyondCapacityAndAfterClose() throws InterruptedException {
    BatchQueue queue = new BatchQueue(2, 8, 0, 1, new PassCosts());
    queue.add(pending("a", 1));
    queue.add(pending("a", 1));
    assertThatThrownBy(() -> queue.add(pending("a", 1))).isInstanceOf(QueueFullException.class);
    queue.close();
    assertThatThrownBy(() -> queue.add(pending("a", 1))).isInstanceOf(NotAcceptingException.class);
    assertThat(queue.takeBatch()).as("queued work is still handed out").hasSize(2);
    assertThat(queue.takeBatch()).as("then the workers are told to stop").isEmpty();
  }

  @Test
  void requestsWithoutAKeyRunAlone() throws InterruptedException {
    BatchQueue queue = new BatchQueue(100, 8, 0, 1, new PassCosts());
    queue.add(pending(null, 1));
    queue.add(pending(null, 1));
    assertThat(queue.takeBatch()).hasSize(1);
    assertThat(queue.takeBatch()).hasSize(1);
  }

  @Test
  void aRequestRunsInlineOnlyWhenNothingIsQueuedOrRunning() throws InterruptedException {
    BatchQueue queue = new BatchQueue(100, 8, 0, 1, new PassCosts());
    assertThat(queue.tryRunInline()).as("idle").isTrue();
    assertThat(queue.tryRunInline()).as("one is running").isFalse();
    queue.batchFinished();
    queue.add(pending("a", 1));
    assertThat(queue.tryRunInline()).as("someone is waiting; no overtaking").isFalse();
    queue.takeBatch();
    queue.batchFinished();
    queue.close();
    assertThat(queue.tryRunInline()).as("closed").isFalse();
  }

  private static PassCosts rowBound() {
    PassCosts costs = new PassCosts();
    costs.passRan(1, 2_000_000);
    costs.passRan(32, 48_500_000); // 0.5 ms a pass, 1.5 ms a row: the digits CNN on CPU
    return costs;
  }

  @Test
  void aFreeLaneRunsRowBoundPassesAtOnceInsteadOfWaitingForMore() throws InterruptedException {
    BatchQueue queue = new BatchQueue(100, 32, 10_000, 2, rowBound());
    queue.add(pending("a", 1));
    queue.takeBatch(); // one pass runs; the second lane is idle
    queue.add(pending("a", 1));
    queue.add(pending("a", 1));
    long start = System.nanoTime();
    assertThat(queue.takeBatch()).as("what is queued, without waiting to fill").hasSize(2);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000L);
  }

  @Test
  void aLaneFreedWhileWaitingEndsTheWait() throws Exception {
    BatchQueue queue = new BatchQueue(100, 32, 60_000, 1, new PassCosts());
    queue.add(pending("a", 1));
    queue.takeBatch(); // the only lane is busy
    queue.add(pending("a", 1));
    CompletableFuture<List<PendingInference>> next =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return queue.takeBatch();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    assertThat(next).as("waits for a fuller batch while the lane is busy").isNotDone();
    queue.batchFinished();
    assertThat(next.get(5, java.util.concurrent.TimeUnit.SECONDS)).hasSize(1);
  }
}
