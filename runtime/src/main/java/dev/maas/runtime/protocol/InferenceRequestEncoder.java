package dev.maas.runtime.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** Writes an Open Inference Protocol request: what a serving pod sends when it mirrors one. */
public final class InferenceRequestEncoder {
  private final JsonFactory factory = new JsonFactory();

  public void encode(OutputStream out, String id, List<Tensor> inputs) throws IOException {
    try (JsonGenerator json = factory.createGenerator(out)) {
      json.writeStartObject();
      if (id != null) {
        json.writeStringField("id", id);
      }
      json.writeArrayFieldStart("inputs");
      for (Tensor tensor : inputs) {
        InferenceResponseEncoder.writeTensor(json, tensor);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }
}
