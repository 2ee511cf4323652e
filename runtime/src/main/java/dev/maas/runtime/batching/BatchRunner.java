package dev.maas.runtime.batching;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import dev.maas.contract.Datatype;
import dev.maas.runtime.model.ServableModel;
import dev.maas.runtime.protocol.DjlDatatypes;
import dev.maas.runtime.protocol.Tensor;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one batch on one worker's predictor: joins the requests' rows into one array per input, runs
 * a single forward pass and splits every output back by rows.
 *
 * <p>Inputs are staged in direct buffers that this worker owns and reuses. DJL hands a direct
 * buffer to libtorch without copying, which is why the buffers are never pooled network buffers and
 * stay reachable until the batch's arrays are closed.
 */
final class BatchRunner {
  private final ServableModel model;
  private final List<String> outputNames;
  private final Predictor<NDList, NDList> predictor;
  private ByteBuffer[] staging = new ByteBuffer[0];

  BatchRunner(ServableModel model, List<String> outputNames) {
    this.model = model;
    this.outputNames = outputNames;
    this.predictor = model.newPredictor();
  }

  /** Outputs per request, in batch order. */
  List<List<Tensor>> run(List<List<Tensor>> requests) throws TranslateException {
    long totalRows = 0;
    for (List<Tensor> inputs : requests) {
      totalRows += inputs.get(0).rows();
    }
    try (NDManager manager = model.newBatchManager()) {
      List<Tensor> first = requests.get(0);
      NDList in = new NDList(first.size());
      ensureStaging(first.size());
      for (int i = 0; i < first.size(); i++) {
        Tensor template = first.get(i);
        long[] shape = template.shape().clone();
        if (requests.size() > 1) {
          shape[0] = totalRows;
        }
        ByteBuffer buffer = stage(i, requests);
        in.add(manager.create(buffer, new Shape(shape), DjlDatatypes.toDjl(template.datatype())));
      }
      NDList out = predictor.predict(in);
      List<List<Tensor>> results = new ArrayList<>(requests.size());
      for (int r = 0; r < requests.size(); r++) {
        results.add(new ArrayList<>(out.size()));
      }
      for (int o = 0; o < out.size(); o++) {
        split(out.get(o), outputName(o), requests, totalRows, results);
      }
      Reference.reachabilityFence(staging);
      return results;
    }
  }

  void close() {
    predictor.close();
  }

  String outputName(int index) {
    return index < outputNames.size() ? outputNames.get(index) : "output" + index;
  }

  private void ensureStaging(int inputs) {
    if (staging.length < inputs) {
      staging = Arrays.copyOf(staging, inputs);
    }
  }

  private ByteBuffer stage(int input, List<List<Tensor>> requests) {
    int bytes = 0;
    for (List<Tensor> inputs : requests) {
      bytes = Math.addExact(bytes, inputs.get(input).data().length);
    }
    ByteBuffer buffer = staging[input];
    if (buffer == null || buffer.capacity() < bytes) {
      buffer = ByteBuffer.allocateDirect(Math.max(bytes, 4096)).order(ByteOrder.nativeOrder());
      staging[input] = buffer;
    }
    buffer.clear();
    for (List<Tensor> inputs : requests) {
      buffer.put(inputs.get(input).data());
    }
    buffer.flip();
    return buffer.slice().order(ByteOrder.nativeOrder());
  }

  private static void split(
      NDArray array,
      String name,
      List<List<Tensor>> requests,
      long totalRows,
      List<List<Tensor>> results) {
    NDArray readable = array;
    Datatype datatype = DjlDatatypes.fromDjl(array.getDataType()).orElse(null);
    if (datatype == null) {
      // A BF16 or INT16 output: widen it on the device rather than read a type DJL cannot hold.
      boolean integer = array.getDataType() == DataType.INT16;
      readable = array.toType(integer ? DataType.INT32 : DataType.FLOAT32, false);
      datatype = integer ? Datatype.INT32 : Datatype.FP32;
    }
    long[] shape = readable.getShape().getShape();
    byte[] all = new byte[Math.toIntExact(readable.getShape().size() * datatype.bytes())];
    readable.toByteBuffer().get(all);
    if (requests.size() == 1) {
      results.get(0).add(new Tensor(name, datatype, shape, all));
      return;
    }
    if (shape.length == 0 || shape[0] != totalRows) {
      throw new UnsplittableOutputException(name, shape, totalRows);
    }
    int rowBytes = Math.toIntExact(all.length / totalRows);
    int offset = 0;
    for (int r = 0; r < requests.size(); r++) {
      long rows = requests.get(r).get(0).rows();
      long[] rowShape = shape.clone();
      rowShape[0] = rows;
      int length = Math.toIntExact(rows * rowBytes);
      results
          .get(r)
          .add(
              new Tensor(
                  name, datatype, rowShape, Arrays.copyOfRange(all, offset, offset + length)));
      offset += length;
    }
  }

  /** An output without one row per input row cannot be split; the batch is re-run one by one. */
  static final class UnsplittableOutputException extends RuntimeException {
    UnsplittableOutputException(String name, long[] shape, long rows) {
      super(
          "output "
              + name
              + " has shape "
              + Arrays.toString(shape)
              + ", not one row for each of the "
              + rows
              + " batched rows");
    }
  }
}
