package dev.maas.runtime.model;

import dev.maas.contract.PackageFormat;
import java.util.Arrays;

/** The name a model is served under when none is given: its file's name without the extension. */
public final class ServedName {
  private ServedName() {}

  public static String fromLocation(String location) {
    String last = Arrays.stream(location.split("/")).reduce((a, b) -> b).orElse(location);
    int query = last.indexOf('?');
    last = query >= 0 ? last.substring(0, query) : last;
    if (last.endsWith(PackageFormat.SUFFIX)) {
      return last.substring(0, last.length() - PackageFormat.SUFFIX.length());
    }
    int dot = last.lastIndexOf('.');
    return dot > 0 ? last.substring(0, dot) : last;
  }
}
