package dev.maas.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The input signature as one line, {@code name:DATATYPE:dim,dim;name:DATATYPE:dim,...}, e.g. {@code
 * input:FP32:-1,64}: what the operator writes from spec.model.inputs into {@code MAAS_INPUTS} and
 * compress's {@code --inputs}, and what the runtime parses. The first dimension is the batch and
 * must be -1, as the CRD's rule says too.
 */
public final class SignatureFormat {
  private SignatureFormat() {}

  public static String format(List<TensorSignature> inputs) {
    return inputs.stream()
        .map(
            i ->
                i.name()
                    + ":"
                    + i.datatype()
                    + ":"
                    + Arrays.stream(i.shape())
                        .mapToObj(Long::toString)
                        .collect(Collectors.joining(",")))
        .collect(Collectors.joining(";"));
  }

  /**
   * @throws IllegalArgumentException one line naming the input and what is wrong with it
   */
  public static List<TensorSignature> parse(String text) {
    List<TensorSignature> inputs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String part : text.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      TensorSignature input = parseOne(part.trim());
      if (!names.add(input.name())) {
        throw new IllegalArgumentException("input '" + input.name() + "' is declared twice");
      }
      inputs.add(input);
    }
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("input signature declares no inputs");
    }
    return List.copyOf(inputs);
  }

  private static TensorSignature parseOne(String part) {
    String[] fields = part.split(":");
    if (fields.length != 3) {
      throw new IllegalArgumentException(
          "input signature '" + part + "' must be name:DATATYPE:dims, e.g. input:FP32:-1,64");
    }
    String name = fields[0];
    Datatype datatype =
        Datatype.fromName(fields[1])
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "input '"
                            + name
                            + "': unsupported datatype "
                            + fields[1]
                            + "; supported: "
                            + Datatype.supportedNames()));
    long[] shape = shape(name, fields[2]);
    if (shape.length == 0 || shape[0] != -1) {
      // Requests are batched along the first dimension, so it must be free; a fixed one would
      // make metadata promise a shape that batched answers then break.
      throw new IllegalArgumentException(
          "input '"
              + name
              + "': the first dim is the batch and must be -1, e.g. "
              + name
              + ":"
              + fields[1]
              + ":-1"
              + (fields[2].isBlank() ? "" : "," + fields[2]));
    }
    return new TensorSignature(name, datatype, shape);
  }

  private static long[] shape(String name, String dims) {
    long[] shape;
    try {
      shape =
          dims.isBlank()
              ? new long[0]
              : Arrays.stream(dims.split(",")).mapToLong(d -> Long.parseLong(d.trim())).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("input '" + name + "': dims must be integers or -1");
    }
    for (long dim : shape) {
      if (dim == 0 || dim < -1) {
        throw new IllegalArgumentException("input '" + name + "': each dim must be positive or -1");
      }
    }
    return shape;
  }
}
