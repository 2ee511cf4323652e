package dev.maas.runtime.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the outputs of an Open Inference Protocol response (another server's answer to a mirrored
 * request), with the request decoder's rules for each tensor.
 */
public final class InferenceResponseDecoder {
  private final JsonFactory factory = new JsonFactory();

  /**
   * @throws BadRequestException when the body is not a response with outputs
   */
  public List<Tensor> decodeOutputs(InputStream body) {
    try (JsonParser parser = factory.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRequestException("response body must be a JSON object");
      }
      List<Tensor> outputs = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("outputs") && value == JsonToken.START_ARRAY) {
          outputs = new ArrayList<>();
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            outputs.add(InferenceRequestDecoder.readInput(parser, outputs.size()));
          }
        } else {
          parser.skipChildren();
        }
      }
      if (outputs == null) {
        throw new BadRequestException("response has no \"outputs\"");
      }
      return outputs;
    } catch (JsonParseException e) {
      throw new BadRequestException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequestException("unreadable response body: " + e.getMessage());
    }
  }
}
