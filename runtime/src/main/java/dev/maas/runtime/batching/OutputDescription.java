package dev.maas.runtime.batching;

import dev.maas.runtime.protocol.Datatype;

/** What warm-up learnt about one model output: its name, datatype and per-row shape. */
public record OutputDescription(String name, Datatype datatype, long[] itemShape) {}
