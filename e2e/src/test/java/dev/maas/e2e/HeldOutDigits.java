package dev.maas.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** The held-out digits (examples/models/digits_test.json), scored through a model's endpoint. */
final class HeldOutDigits {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonNode inputs;
  private final JsonNode labels;

  HeldOutDigits(Path file) {
    try {
      JsonNode data = JSON.readTree(file.toFile());
      this.inputs = data.get("inputs");
      this.labels = data.get("labels");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One request body: the first {@code rows} samples as an FP32 [rows, 64] tensor. */
  String request(int from, int rows) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode input = body.putArray("inputs").addObject();
    input.put("name", "input").put("datatype", "FP32");
    input.putArray("shape").add(rows).add(64);
    ArrayNode data = input.putArray("data");
    for (int i = from; i < from + rows; i++) {
      inputs.get(i).forEach(v -> data.add(v.floatValue()));
    }
    return body.toString();
  }

  int size() {
    return inputs.size();
  }

  /** Fraction of the held-out digits the model at this infer URL classifies right. */
  double accuracy(String inferUrl) {
    int[] answers = answers(inferUrl);
    int correct = 0;
    for (int row = 0; row < answers.length; row++) {
      correct += answers[row] == labels.get(row).asInt() ? 1 : 0;
    }
    return (double) correct / size();
  }

  /** The top-1 class the model at this infer URL gives each held-out digit. */
  int[] answers(String inferUrl) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    int[] answers = new int[size()];
    for (int from = 0; from < size(); from += 30) {
      int rows = Math.min(30, size() - from);
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(inferUrl))
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(request(from, rows)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new AssertionError(
              "infer answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode logits = JSON.readTree(response.body()).get("outputs").get(0).get("data");
        for (int row = 0; row < rows; row++) {
          int best = 0;
          for (int k = 1; k < 10; k++) {
            if (logits.get(row * 10 + k).asDouble() > logits.get(row * 10 + best).asDouble()) {
              best = k;
            }
          }
          answers[from + row] = best;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return answers;
  }

  /** Fraction of rows on which two models' answers agree. */
  static double agreement(int[] a, int[] b) {
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      same += a[i] == b[i] ? 1 : 0;
    }
    return (double) same / a.length;
  }
}
