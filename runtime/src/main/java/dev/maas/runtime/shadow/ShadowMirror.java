package dev.maas.runtime.shadow;

import dev.maas.contract.RuntimeMetrics;
import dev.maas.contract.ShadowSettings;
import dev.maas.runtime.client.RuntimeConnection;
import dev.maas.runtime.http.AnswerListener;
import dev.maas.runtime.metrics.ServerMetrics;
import dev.maas.runtime.protocol.BadRequestException;
import dev.maas.runtime.protocol.InferenceRequestEncoder;
import dev.maas.runtime.protocol.InferenceResponseDecoder;
import dev.maas.runtime.protocol.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors a sample of the requests this pod already answered to a candidate model and compares its
 * answers with ours, off the live path: the event loop only draws a random number and, for a
 * sampled request, offers it to a bounded queue that drops rather than waits (a slow or dead
 * candidate costs the live traffic nothing but the drop count), at most {@link #MAX_PER_SECOND} a
 * second; two sender threads post the samples to the candidate's pods in turn over kept-alive
 * connections ({@link RuntimeConnection}), read the answers, and count the comparisons in the
 * server's metrics, labelled by candidate revision. The operator reads those metrics to judge the
 * candidate.
 */
public final class ShadowMirror implements AnswerListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShadowMirror.class);
  static final int QUEUE_CAPACITY = 64;
  static final int SENDERS = 2;

  /**
   * Mirrored requests a second, at most, whatever the sample share: the comparison needs a few
   * hundred samples (200 by default: 10 s of one serving pod, less with more), and each copy costs
   * the serving pod's own cores its encoding, a request and the comparison. The mirroring
   * benchmark, with the serving runtime on a core of its own, measured 0.78-0.88x throughput at 100
   * a second and no change beyond the rounds' spread at 20 (without any cap, 0.6x).
   */
  static final int MAX_PER_SECOND = 20;

  /** How often a sender looks at the queue. */
  static final long SEND_INTERVAL_MILLIS = 100;

  private static final int CONNECT_TIMEOUT_MILLIS = 2000;
  private static final int READ_TIMEOUT_MILLIS = 10_000;

  private record Target(ShadowSettings settings, AtomicInteger next) {}

  private record Sample(
      Target target, String id, List<Tensor> inputs, List<Tensor> outputs, String authorization) {}

  private final String modelName;
  private final ServerMetrics metrics;
  private final Supplier<SSLSocketFactory> tls;
  private final BlockingQueue<Sample> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread[] senders = new Thread[SENDERS];
  private final InferenceRequestEncoder encoder = new InferenceRequestEncoder();
  private final InferenceResponseDecoder decoder = new InferenceResponseDecoder();
  private final RateCap cap = new RateCap(MAX_PER_SECOND);
  private volatile Target target;
  private volatile boolean closed;

  public ShadowMirror(String modelName, ServerMetrics metrics) {
    this(modelName, metrics, () -> null);
  }

  /**
   * A copy presents the caller's own credential: the candidate runs with the same access settings
   * (API keys from the same Secret, the same RBAC for tokens).
   *
   * @param tls how to speak to an {@code https} candidate, asked at each new connection: the
   *     candidate serves the same certificate (the same Secret), so this server's own current one
   *     is pinned; null for plain HTTP
   */
  public ShadowMirror(String modelName, ServerMetrics metrics, Supplier<SSLSocketFactory> tls) {
    this.modelName = modelName;
    this.metrics = metrics;
    this.tls = tls;
    for (int i = 0; i < SENDERS; i++) {
      senders[i] = new Thread(this::send, "shadow-sender-" + i);
      senders[i].setDaemon(true);
      senders[i].start();
    }
  }

  /** Mirror from now on as the settings say; empty (or no targets) stops mirroring. */
  public synchronized void configure(Optional<ShadowSettings> settings) {
    Target old = target;
    Optional<ShadowSettings> active = settings.filter(s -> !s.targets().isEmpty());
    if (old != null && active.isPresent() && old.settings().equals(active.get())) {
      return;
    }
    if (old != null
        && active.map(s -> !s.candidate().equals(old.settings().candidate())).orElse(true)) {
      metrics.shadowEnded(old.settings().candidate());
    }
    target = active.map(s -> new Target(s, new AtomicInteger())).orElse(null);
    active.ifPresent(s -> metrics.shadowStarted(s.candidate()));
    LOG.info(
        "shadow: {}",
        active
            .map(
                s ->
                    "mirroring "
                        + s.samplePercent()
                        + "% of answered requests to candidate "
                        + s.candidate()
                        + " at "
                        + s.targets())
            .orElse("off"));
  }

  @Override
  public void answered(String id, List<Tensor> inputs, List<Tensor> outputs, String authorization) {
    Target current = target;
    if (current == null
        || ThreadLocalRandom.current().nextInt(100) >= current.settings().samplePercent()) {
      return;
    }
    if (!cap.tryAcquire(System.nanoTime())) {
      return; // not sampled: the share is samplePercent, up to MAX_PER_SECOND a second
    }
    if (!queue.offer(new Sample(current, id, inputs, outputs, authorization))) {
      metrics.shadowResult(current.settings().candidate(), RuntimeMetrics.SHADOW_DROPPED);
    }
  }

  /**
   * Each sender wakes every {@link #SEND_INTERVAL_MILLIS} and sends what the queue holds, one copy
   * after the other over connections of its own: a copy waits a little, and the serving pod's core
   * sees a few wake-ups a second instead of one per copy.
   */
  private void send() {
    Map<String, RuntimeConnection> connections = new HashMap<>();
    List<Sample> batch = new ArrayList<>();
    try {
      while (!closed) {
        Thread.sleep(SEND_INTERVAL_MILLIS);
        queue.drainTo(batch, QUEUE_CAPACITY);
        for (Sample sample : batch) {
          if (sample.target() == target) {
            mirror(sample, connections);
          } // else: settings changed since it was queued: not this candidate's sample any more
        }
        batch.clear();
        Target current = target;
        connections
            .entrySet()
            .removeIf(
                c -> {
                  boolean gone =
                      current == null || !current.settings().targets().contains(c.getKey());
                  if (gone) {
                    c.getValue().close();
                  }
                  return gone;
                });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      connections.values().forEach(RuntimeConnection::close);
    }
  }

  private void mirror(Sample sample, Map<String, RuntimeConnection> connections) {
    ShadowSettings settings = sample.target().settings();
    List<String> targets = settings.targets();
    String base =
        targets.get(Math.floorMod(sample.target().next().getAndIncrement(), targets.size()));
    String candidate = settings.candidate();
    try {
      ByteArrayOutputStream body = new ByteArrayOutputStream(256);
      encoder.encode(body, sample.id(), sample.inputs());
      RuntimeConnection connection =
          connections.computeIfAbsent(
              base,
              b ->
                  new RuntimeConnection(
                      URI.create(b),
                      CONNECT_TIMEOUT_MILLIS,
                      READ_TIMEOUT_MILLIS,
                      b.startsWith("https:") ? tls.get() : null));
      RuntimeConnection.Answer answer =
          connection.post(
              "/v2/models/" + modelName + "/infer", body.toByteArray(), sample.authorization());
      if (answer.status() != 200) {
        metrics.shadowResult(candidate, RuntimeMetrics.SHADOW_CANDIDATE_ERROR);
        return;
      }
      Optional<OutputComparison> comparison =
          OutputComparison.of(
              sample.outputs(), decoder.decodeOutputs(new ByteArrayInputStream(answer.body())));
      if (comparison.isEmpty()) {
        metrics.shadowResult(candidate, RuntimeMetrics.SHADOW_CANDIDATE_ERROR);
        return;
      }
      OutputComparison c = comparison.get();
      metrics.shadowCompared(
          candidate,
          c.top1Rows(),
          c.top1Agreements(),
          c.elements(),
          c.absErrorSum(),
          c.absErrorMax());
    } catch (BadRequestException | NumberFormatException e) {
      metrics.shadowResult(candidate, RuntimeMetrics.SHADOW_CANDIDATE_ERROR);
    } catch (IOException | IllegalArgumentException e) {
      metrics.shadowResult(candidate, RuntimeMetrics.SHADOW_UNREACHABLE);
      LOG.debug("shadow: {} unreachable: {}", base, e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread sender : senders) {
      sender.interrupt();
    }
  }
}
