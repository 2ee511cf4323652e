package dev.maas.runtime.batching;

/** The queue is at capacity: the client should retry (503 with Retry-After). */
public class QueueFullException extends RuntimeException {
  public QueueFullException(int capacity) {
    super("server is at capacity (" + capacity + " requests queued); retry shortly");
  }
}
