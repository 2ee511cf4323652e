package dev.maas.operator.plan;

/** The one server-side apply field manager every write of the operator goes through. */
public final class FieldManager {
  /** Also the controller's name, which java-operator-sdk uses as its field manager. */
  public static final String NAME = "maas-operator";

  private FieldManager() {}
}
