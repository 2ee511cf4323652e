package dev.maas.runtime.model;

import dev.maas.contract.SignatureFormat;
import dev.maas.contract.TensorSignature;
import dev.maas.runtime.protocol.BadRequestException;
import dev.maas.runtime.protocol.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The model's declared inputs, in the order its forward method takes them. Written on the command
 * line (and by the operator, from {@code spec.model.inputs}) as {@code
 * name:DATATYPE:dim,dim;name:DATATYPE:dim,...}, e.g. {@code input:FP32:-1,64}.
 */
public record InputSignature(List<TensorSignature> inputs) {

  /** Parses the contract's signature format (see {@link SignatureFormat}). */
  public static InputSignature parse(String text) {
    return new InputSignature(SignatureFormat.parse(text));
  }

  /**
   * Checks tensors already in the declared order (see {@link InputBinding}) against the declared
   * datatypes and shapes, and returns them.
   */
  public List<Tensor> check(List<Tensor> ordered) {
    for (int i = 0; i < inputs.size(); i++) {
      TensorSignature expected = inputs.get(i);
      Tensor tensor = ordered.get(i);
      if (tensor.datatype() != expected.datatype()) {
        throw new BadRequestException(
            "input '"
                + expected.name()
                + "' must be "
                + expected.datatype()
                + ", got "
                + tensor.datatype());
      }
      if (!expected.accepts(tensor.shape())) {
        throw new BadRequestException(
            "input '"
                + expected.name()
                + "' has shape "
                + Arrays.toString(tensor.shape())
                + "; the model takes "
                + Arrays.toString(expected.shape())
                + " (-1: any size)");
      }
    }
    return ordered;
  }

  /**
   * The declared inputs are passed to forward in the declared order, so they must be as many as it
   * takes, and a declared name that is one of forward's own must sit at its position: declaring
   * {@code b;a} for {@code forward(a, b)} would silently swap them. Other names are the user's
   * public names for forward's arguments and are kept.
   */
  public void checkAgainst(ForwardSignature forward) {
    List<String> parameters = forward.names();
    if (inputs.size() < forward.required() || inputs.size() > parameters.size()) {
      throw new ModelMismatchException(
          "--inputs declares "
              + inputs.size()
              + " input(s) "
              + names()
              + " but the model's forward takes "
              + (forward.required() == parameters.size()
                  ? Integer.toString(parameters.size())
                  : forward.required() + " to " + parameters.size())
              + ": "
              + forward.describe());
    }
    for (int i = 0; i < inputs.size(); i++) {
      int position = parameters.indexOf(inputs.get(i).name());
      if (position >= 0 && position != i) {
        throw new ModelMismatchException(
            "--inputs lists '"
                + inputs.get(i).name()
                + "' as input "
                + (i + 1)
                + " but the model's forward takes it as argument "
                + (position + 1)
                + " of "
                + forward.describe()
                + ": declare the inputs in forward's order");
      }
    }
  }

  public boolean canWarmUp() {
    return inputs.stream().allMatch(TensorSignature::hasFixedItemShape);
  }

  /** The signature as written on the command line: name:DATATYPE:dims;... */
  public String text() {
    List<String> parts = new ArrayList<>();
    for (TensorSignature input : inputs) {
      List<String> dims = new ArrayList<>();
      for (long dim : input.shape()) {
        dims.add(Long.toString(dim));
      }
      parts.add(input.name() + ":" + input.datatype() + ":" + String.join(",", dims));
    }
    return String.join(";", parts);
  }

  public List<String> names() {
    return inputs.stream().map(TensorSignature::name).toList();
  }
}
