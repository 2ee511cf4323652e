package dev.maas.runtime.compress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw bytes. Readable by the Python safetensors library, so a
 * package can be inspected with ordinary tools.
 */
public final class Safetensors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Safetensors() {}

  public static byte[] write(Map<String, StoredTensor> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    ObjectNode meta = header.putObject("__metadata__");
    // Sorted: the same package must come out as the same bytes in every JVM, and Map.of's
    // iteration order is randomized per JVM run (it made a re-run's package digest differ).
    new TreeMap<>(metadata).forEach(meta::put);
    long offset = 0;
    for (Map.Entry<String, StoredTensor> entry : tensors.entrySet()) {
      ObjectNode t = header.putObject(entry.getKey());
      t.put("dtype", entry.getValue().dtype());
      var shape = t.putArray("shape");
      for (long d : entry.getValue().shape()) {
        shape.add(d);
      }
      long end = offset + entry.getValue().data().length;
      t.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] headerBytes = JSON.writeValueAsBytes(header);
    // The format asks for the header to be padded with spaces to a multiple of 8 bytes.
    int padded = (headerBytes.length + 7) / 8 * 8;
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 + padded + (int) offset);
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
    out.write(headerBytes);
    for (int i = headerBytes.length; i < padded; i++) {
      out.write(' ');
    }
    for (StoredTensor t : tensors.values()) {
      out.write(t.data());
    }
    return out.toByteArray();
  }

  public static Map<String, StoredTensor> read(byte[] file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buffer.getLong();
    if (headerLength < 2 || headerLength > file.length - 8) {
      throw new IOException("not a safetensors file: header length " + headerLength);
    }
    JsonNode header =
        JSON.readTree(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8));
    int dataStart = 8 + (int) headerLength;
    Map<String, StoredTensor> tensors = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (entry.getKey().equals("__metadata__")) {
        continue;
      }
      JsonNode t = entry.getValue();
      long[] shape = new long[t.path("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = t.path("shape").get(i).asLong();
      }
      int start = dataStart + t.path("data_offsets").get(0).asInt();
      int end = dataStart + t.path("data_offsets").get(1).asInt();
      if (start < dataStart || end > file.length || end < start) {
        throw new IOException("safetensors entry " + entry.getKey() + " points outside the file");
      }
      tensors.put(
          entry.getKey(),
          new StoredTensor(
              t.path("dtype").asText(), shape, java.util.Arrays.copyOfRange(file, start, end)));
    }
    return tensors;
  }
}
