package dev.maas.runtime.http;

import dev.maas.runtime.batching.InferenceEngine;
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

  public void engineReady(InferenceEngine engine) {
    this.engine = engine;
  }

  /** Readiness: the model answered its warm-up and the server is not draining. */
  public boolean ready() {
    InferenceEngine current = engine;
    return !draining && current != null && current.isReady();
  }

  /** Who hears of answered requests (the shadow mirror), from now on. */
  public void listenToAnswers(AnswerListener listener) {
    this.answers = listener;
  }

  AnswerListener answers() {
    return answers;
  }

  public boolean draining() {
    return draining;
  }

  public void startDraining() {
    draining = true;
  }
}
