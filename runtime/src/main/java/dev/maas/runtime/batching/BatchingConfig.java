package dev.maas.runtime.batching;

import java.util.List;

/**
 * Settings of the batching pipeline.
 *
 * @param maxBatchSize most rows joined into one forward pass; 1 turns batching off
 * @param maxDelayMillis longest time the oldest request of a batch waits for it to fill
 * @param queueCapacity requests that may wait; more are refused with a 503
 * @param workers threads running forward passes, each with its own predictor
 * @param outputNames names given to the model's outputs, in order; missing ones are outputN
 */
public record BatchingConfig(
    int maxBatchSize,
    int maxDelayMillis,
    int queueCapacity,
    int workers,
    List<String> outputNames) {}
