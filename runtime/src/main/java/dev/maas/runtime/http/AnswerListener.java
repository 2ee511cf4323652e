package dev.maas.runtime.http;

import dev.maas.runtime.protocol.Tensor;
import java.util.List;

/**
 * Told of each inference request after its answer was written, on the connection's event loop: it
 * must return at once (the shadow mirror only samples and queues).
 */
@FunctionalInterface
public interface AnswerListener {
  AnswerListener NONE = (id, inputs, outputs, authorization) -> {};

  /**
   * @param outputs every output the model gave, not only those the client asked for
   * @param authorization the caller's {@code Authorization} header (null: none), so that a copy of
   *     the request presents the caller's own credential to a server with the same access settings
   */
  void answered(String id, List<Tensor> inputs, List<Tensor> outputs, String authorization);
}
