package dev.maas.runtime.compress;

/** A tensor as stored in safetensors: dtype name (F32, F16, I8, U8), shape, little-endian bytes. */
public record StoredTensor(String dtype, long[] shape, byte[] data) {}
