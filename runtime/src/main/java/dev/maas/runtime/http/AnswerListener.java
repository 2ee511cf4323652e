package dev.maas.runtime.http;

import dev.maas.runtime.protocol.Tensor;
import java.util.List;

/**
 * Told of each inference request after its answer was written, on the connection's event loop: it
 * must return at once (the shadow mirror only samples and queues).
 */
@FunctionalInterface
public interface AnswerListener {
  AnswerListener NONE = (id, inputs, outputs) -> {};

  /**
   * @param outputs every output the model gave, not only those the client asked for
   */
  void answered(String id, List<Tensor> inputs, List<Tensor> outputs);
}
