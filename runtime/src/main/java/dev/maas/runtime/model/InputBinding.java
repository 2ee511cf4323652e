package dev.maas.runtime.model;

import dev.maas.runtime.protocol.BadRequestException;
import dev.maas.runtime.protocol.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * How a request's named tensors become the arguments of the model's {@code forward}, which takes
 * them by position. Inputs bind by name, so a client that sends {@code b} before {@code a} gets the
 * same answer; the names are the declared ones ({@code --inputs}) or else the forward's own.
 */
public record InputBinding(List<String> names, UnaryOperator<List<Tensor>> order) {

  /** The request's tensors in the order forward takes them; a BadRequestException says why not. */
  public List<Tensor> bind(List<Tensor> request) {
    return order.apply(request);
  }

  /**
   * Declared inputs, checked against the forward signature where it could be read (a mismatch is
   * found at start-up, not by the first request); else the forward's names; else by position (then
   * {@link #names} is empty).
   */
  public static InputBinding resolve(
      String modelName, Optional<InputSignature> declared, Optional<ForwardSignature> forward) {
    if (declared.isPresent()) {
      InputSignature signature = declared.get();
      forward.ifPresent(signature::checkAgainst);
      List<String> names = signature.names();
      return new InputBinding(
          names, request -> signature.check(byName(request, names, names.size(), modelName)));
    }
    if (forward.isPresent()) {
      List<String> names = forward.get().names();
      int required = forward.get().required();
      return new InputBinding(names, request -> byName(request, names, required, modelName));
    }
    return new InputBinding(List.of(), request -> request);
  }

  /**
   * Orders {@code request} by {@code names}: each name once, no unknown name (reported before a
   * missing one, since a misspelt name is what the client got wrong), the first {@code required}
   * present; an optional one may be left out only with everything after it, as forward passes
   * arguments by position.
   */
  static List<Tensor> byName(
      List<Tensor> request, List<String> names, int required, String modelName) {
    Map<String, Tensor> given = new HashMap<>();
    for (Tensor tensor : request) {
      if (given.put(tensor.name(), tensor) != null) {
        throw new BadRequestException("input '" + tensor.name() + "' is given twice");
      }
    }
    int known = 0;
    for (String name : names) {
      known += given.containsKey(name) ? 1 : 0;
    }
    if (known < given.size()) {
      List<String> unknown =
          given.keySet().stream().filter(n -> !names.contains(n)).sorted().toList();
      throw new BadRequestException(
          "unknown input(s) " + unknown + "; model " + modelName + " takes " + names);
    }
    List<Tensor> ordered = new ArrayList<>(given.size());
    for (int i = 0; i < names.size() && ordered.size() < given.size(); i++) {
      Tensor tensor = given.get(names.get(i));
      if (tensor == null) {
        throw new BadRequestException(
            i < required
                ? "missing input '" + names.get(i) + "'; model " + modelName + " takes " + names
                : "input '"
                    + names.get(i)
                    + "' is optional but must be given when a later input is; model "
                    + modelName
                    + " takes "
                    + names);
      }
      ordered.add(tensor);
    }
    if (ordered.size() < required) {
      throw new BadRequestException(
          "missing input '"
              + names.get(ordered.size())
              + "'; model "
              + modelName
              + " takes "
              + names);
    }
    return ordered;
  }
}
