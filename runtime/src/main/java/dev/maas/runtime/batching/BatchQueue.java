package dev.maas.runtime.batching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded queue that hands out batches of compatible requests. Requests are grouped by batch key;
 * a batch is cut from the group whose oldest request has waited longest when {@link BatchTiming}
 * says so: once it holds {@code maxRows} rows, that oldest request has waited {@code maxDelay}, or
 * waiting would not pay.
 */
final class BatchQueue {
  private final int capacity;
  private final long maxRows;
  private final long maxDelayNanos;
  private final int lanes;
  private final PassCosts costs;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, ArrayDeque<PendingInference>> groups = new LinkedHashMap<>();
  private final ArrayDeque<PendingInference> loners = new ArrayDeque<>();
  private int size;
  private int running;
  private boolean closed;

  /**
   * @param lanes forward passes that can run at once without slowing each other
   * @param costs what passes cost, which the workers keep up to date
   */
  BatchQueue(int capacity, long maxRows, long maxDelayMillis, int lanes, PassCosts costs) {
    this.capacity = capacity;
    this.maxRows = maxRows;
    this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
    this.lanes = lanes;
    this.costs = costs;
  }

  void add(PendingInference pending) {
    lock.lock();
    try {
      if (closed) {
        throw new NotAcceptingException("server is shutting down");
      }
      if (size >= capacity) {
        throw new QueueFullException(capacity);
      }
      if (pending.batchKey() == null) {
        loners.add(pending);
      } else {
        groups.computeIfAbsent(pending.batchKey(), k -> new ArrayDeque<>()).add(pending);
      }
      size++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /** Stops accepting; batches are still handed out until the queue is empty. */
  void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Claims the model for a request that will run on the caller's thread: only when nothing is
   * queued and no forward pass is running, so that it cannot overtake or delay anyone. The caller
   * reports {@link #batchFinished} when done.
   */
  boolean tryRunInline() {
    lock.lock();
    try {
      if (closed || size > 0 || running > 0) {
        return false;
      }
      running++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** A batch handed out by {@link #takeBatch} has finished its forward pass. */
  void batchFinished() {
    lock.lock();
    try {
      running--;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Blocks until a batch is due and returns it; returns an empty list once closed and empty. The
   * caller reports {@link #batchFinished} when the batch has run.
   */
  List<PendingInference> takeBatch() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (size == 0) {
          if (closed) {
            return List.of();
          }
          changed.await();
          continue;
        }
        ArrayDeque<PendingInference> group = oldestGroup();
        if (group == loners) {
          size--;
          running++;
          return List.of(loners.poll());
        }
        long waitedNanos = System.nanoTime() - group.peek().enqueuedNanos();
        BatchTiming timing =
            BatchTiming.decide(
                rowsIn(group),
                maxRows,
                waitedNanos,
                maxDelayNanos,
                running,
                lanes,
                costs.estimate(),
                closed);
        if (timing instanceof BatchTiming.Wait wait) {
          changed.awaitNanos(wait.nanos());
        } else {
          return cut(group);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private ArrayDeque<PendingInference> oldestGroup() {
    ArrayDeque<PendingInference> oldest = loners.isEmpty() ? null : loners;
    for (ArrayDeque<PendingInference> group : groups.values()) {
      if (oldest == null || group.peek().enqueuedNanos() < oldest.peek().enqueuedNanos()) {
        oldest = group;
      }
    }
    return oldest;
  }

  private long rowsIn(ArrayDeque<PendingInference> group) {
    long rows = 0;
    for (PendingInference p : group) {
      rows += p.rows();
      if (rows >= maxRows) {
        break;
      }
    }
    return rows;
  }

  private List<PendingInference> cut(ArrayDeque<PendingInference> group) {
    List<PendingInference> batch = new ArrayList<>();
    long rows = 0;
    while (!group.isEmpty() && (batch.isEmpty() || rows + group.peek().rows() <= maxRows)) {
      PendingInference next = group.poll();
      rows += next.rows();
      batch.add(next);
    }
    size -= batch.size();
    running++;
    if (group.isEmpty()) {
      for (Iterator<ArrayDeque<PendingInference>> it = groups.values().iterator(); it.hasNext(); ) {
        if (it.next() == group) {
          it.remove();
          break;
        }
      }
    }
    return batch;
  }
}
