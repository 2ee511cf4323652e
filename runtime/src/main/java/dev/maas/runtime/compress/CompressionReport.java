package dev.maas.runtime.compress;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * What the compress command reports, on stdout and in the termination message the operator reads
 * from the Job's pod. Kubernetes keeps at most 4096 bytes of a termination message, so {@link
 * #toJson} guarantees the limit by shortening the message if it has to.
 *
 * @param status ok, rejected (acceptance thresholds not met) or error (bad input or failure)
 * @param packageSha256 the package's digest, which the operator hands to serve to verify it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompressionReport(
    String status,
    String method,
    String settings,
    String key,
    String packagePath,
    String packageSha256,
    Boolean cached,
    Long originalBytes,
    Long packageBytes,
    Double ratio,
    AcceptanceResult acceptance,
    Map<String, Long> durationsMillis,
    String message) {

  public static final int MAX_BYTES = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();

  public static CompressionReport error(String message) {
    return new CompressionReport(
        "error", null, null, null, null, null, null, null, null, null, null, null, message);
  }

  public String toJson() {
    try {
      String json = JSON.writeValueAsString(this);
      if (json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_BYTES
          || message == null) {
        return json;
      }
      int over = json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length - MAX_BYTES;
      String shorter =
          message.substring(0, Math.max(0, message.length() - over - 16)) + " [truncated]";
      return new CompressionReport(
              status,
              method,
              settings,
              key,
              packagePath,
              packageSha256,
              cached,
              originalBytes,
              packageBytes,
              ratio,
              acceptance,
              durationsMillis,
              shorter)
          .toJson();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
