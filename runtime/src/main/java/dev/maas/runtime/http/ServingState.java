package dev.maas.runtime.http;

import dev.maas.runtime.batching.InferenceEngine;
import dev.maas.runtime.batching.NotAcceptingException;
import dev.maas.runtime.model.InputSignature;
import java.util.Optional;

/**
 * What the HTTP layer needs to know about the model, which exists before the model is loaded: the
 * server listens (and answers liveness) while a large artifact is still downloading.
 */
public final class ServingState {
  private final String modelName;
  private final String modelVersion;
  private final Optional<InputSignature> signature;
  private volatile InferenceEngine engine;
  private volatile boolean draining;
  private volatile boolean servingPathWarm;
  private volatile AnswerListener answers = AnswerListener.NONE;

  public ServingState(String modelName, String modelVersion, Optional<InputSignature> signature) {
    this.modelName = modelName;
    this.modelVersion = modelVersion;
    this.signature = signature;
  }

  public String modelName() {
    return modelName;
  }

  public String modelVersion() {
    return modelVersion;
  }

  public Optional<InputSignature> signature() {
    return signature;
  }

  public Optional<InferenceEngine> engine() {
    return Optional.ofNullable(engine);
  }

  /**
   * The engine to queue an inference request on.
   *
   * @throws NotAcceptingException while the model loads: the client is told to come back
   */
  public InferenceEngine acceptingEngine() {
    InferenceEngine current = engine;
    if (current == null) {
      throw new NotAcceptingException("model " + modelName + " is still loading");
    }
    return current;
  }

  /** The model answers from now on; readiness waits for {@link #servingPathWarm()}. */
  public void engineReady(InferenceEngine engine) {
    this.engine = engine;
  }

  /** The server's own warm-up requests are over (or were skipped): readiness may turn true. */
  public void servingPathWarm() {
    servingPathWarm = true;
  }

  /**
   * Between the model's load and readiness the only requests are the server's own warm-up (no
   * Service routes to a pod that is not ready): they are not counted in the metrics nor mirrored,
   * so that a new pod's first analysis interval or a dashboard's request rate holds client traffic
   * only.
   */
  public boolean warmingUp() {
    return engine != null && !servingPathWarm;
  }

  /** Readiness: the model and the serving path answered their warm-up, and no drain began. */
  public boolean ready() {
    InferenceEngine current = engine;
    return !draining && servingPathWarm && current != null && current.isReady();
  }

  /** Who hears of answered requests (the shadow mirror), from now on. */
  public void listenToAnswers(AnswerListener listener) {
    this.answers = listener;
  }

  public AnswerListener answers() {
    return answers;
  }

  public boolean draining() {
    return draining;
  }

  public void startDraining() {
    draining = true;
  }
}
