package dev.maas.runtime.server;

import dev.maas.contract.TensorSignature;
import dev.maas.runtime.client.RuntimeConnection;
import dev.maas.runtime.model.InputSignature;
import dev.maas.runtime.protocol.Half;
import dev.maas.runtime.protocol.InferenceRequestEncoder;
import dev.maas.runtime.protocol.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends the server's own inference endpoint requests over loopback, for a bounded time, before it
 * reports ready. The model's warm-up proves the model and its batch sizes; this one compiles the
 * rest of a request's path (the event loop, the JSON codec, the batch queue, the metrics) from
 * interpreted to optimized code, which on a fresh JVM takes thousands of requests: measured on one
 * core with the digits MLP, a cold server's first second of requests had a p99 of 59 ms and its p50
 * stayed 4-8x the warm one for some thousand requests. A pod that turned ready before that answered
 * its first clients, the first requests after every scale-up and a canary's new pod (judged against
 * warm pods on p99) slowly.
 */
public final class ServingPathWarmUp {
  /**
   * What the warm-up did.
   *
   * @param sampledFailure why the sampled values were given up for zeros
   * @param failure why it stopped early (the server turns ready all the same)
   */
  public record Result(
      long requests, Duration took, Optional<String> sampledFailure, Optional<String> failure) {}

  /**
   * Two connections: one request at a time on each, so the batch queue sees both a lone request and
   * two joined, the shapes most live traffic has.
   */
  static final int CONNECTIONS = 2;

  private static final int DISTINCT_BODIES = 8;
  private static final int MAX_FAILURE_TEXT = 200;

  private final URI base;
  private final String modelName;
  private final InputSignature signature;
  private final Duration budget;
  private final String authorization;
  private final SSLSocketFactory tls;

  /**
   * @param authorization the header the server's access control lets the warm-up pass with; null
   *     when it asks for none
   * @param tls how to speak to the server's HTTPS port; null for HTTP
   */
  ServingPathWarmUp(
      URI base,
      String modelName,
      InputSignature signature,
      Duration budget,
      String authorization,
      SSLSocketFactory tls) {
    this.base = base;
    this.modelName = modelName;
    this.signature = signature;
    this.budget = budget;
    this.authorization = authorization;
    this.tls = tls;
  }

  /**
   * Runs until the budget is spent, a request fails, or {@code stop} says so. A model that cannot
   * take the sampled values (it answers an error) is warmed with zeros instead, which its own
   * warm-up proved it takes; only when those fail too does the warm-up stop early.
   */
  Result run(BooleanSupplier stop) throws InterruptedException {
    List<byte[]> zeros = bodies(false);
    AtomicReference<List<byte[]>> bodies = new AtomicReference<>(bodies(true));
    String path = "/v2/models/" + modelName + "/infer";
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    AtomicLong requests = new AtomicLong();
    AtomicReference<String> sampledFailure = new AtomicReference<>();
    AtomicReference<String> failure = new AtomicReference<>();
    int readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, budget.toMillis() + 30_000);
    List<Thread> senders = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      int first = i;
      Thread sender =
          new Thread(
              () -> {
                try (RuntimeConnection connection =
                    new RuntimeConnection(base, 5_000, readTimeoutMillis, tls)) {
                  for (int n = first;
                      System.nanoTime() < deadline && failure.get() == null && !stop.getAsBoolean();
                      n++) {
                    List<byte[]> sending = bodies.get();
                    RuntimeConnection.Answer answer =
                        connection.post(path, sending.get(n % sending.size()), authorization);
                    if (answer.status() == 200) {
                      requests.incrementAndGet();
                    } else if (sending != zeros) {
                      sampledFailure.compareAndSet(null, answered(answer));
                      bodies.set(zeros);
                    } else {
                      failure.compareAndSet(null, answered(answer));
                    }
                  }
                } catch (IOException | RuntimeException e) {
                  failure.compareAndSet(null, String.valueOf(e.getMessage()));
                }
              },
              "serving-path-warm-up-" + i);
      sender.setDaemon(true);
      sender.start();
      senders.add(sender);
    }
    for (Thread sender : senders) {
      sender.join();
    }
    return new Result(
        requests.get(),
        Duration.ofNanos(System.nanoTime() - start),
        Optional.ofNullable(sampledFailure.get()),
        Optional.ofNullable(failure.get()));
  }

  private static String answered(RuntimeConnection.Answer answer) {
    String body = new String(answer.body(), StandardCharsets.UTF_8).strip();
    return "HTTP "
        + answer.status()
        + ": "
        + (body.length() > MAX_FAILURE_TEXT ? body.substring(0, MAX_FAILURE_TEXT) + "..." : body);
  }

  /**
   * One-row requests with different values, so that number parsing sees digits rather than only
   * zeros, and a two-row one: floating-point inputs in [0, 1) when {@code sampled}, else zero;
   * integers and booleans zero (the values the model's own warm-up proved it takes).
   */
  private List<byte[]> bodies(boolean sampled) {
    SplittableRandom random = new SplittableRandom(42);
    InferenceRequestEncoder encoder = new InferenceRequestEncoder();
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < DISTINCT_BODIES; i++) {
      long rows = i == DISTINCT_BODIES - 1 ? 2 : 1;
      List<Tensor> inputs = new ArrayList<>();
      for (TensorSignature input : signature.inputs()) {
        inputs.add(sample(input, rows, sampled ? random : null));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        encoder.encode(out, null, inputs);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      bodies.add(out.toByteArray());
    }
    return bodies;
  }

  /** {@code random}: null for zeros. */
  private static Tensor sample(TensorSignature input, long rows, SplittableRandom random) {
    long[] shape = input.concreteShape(rows);
    int count = Math.toIntExact(Tensor.elementCount(shape));
    ByteBuffer data =
        ByteBuffer.allocate(count * input.datatype().bytes()).order(ByteOrder.nativeOrder());
    for (int i = 0; random != null && i < count; i++) {
      switch (input.datatype()) {
        case FP32 -> data.putFloat((float) random.nextDouble());
        case FP64 -> data.putDouble(random.nextDouble());
        case FP16 -> data.putShort(Half.fromFloat((float) random.nextDouble()));
        default -> {
          // zero: already there
        }
      }
    }
    return new Tensor(input.name(), input.datatype(), shape, data.array());
  }
}
