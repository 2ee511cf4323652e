package dev.maas.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;

/** Request bodies for the digits model, shared by tests in other packages. */
public final class DigitsServerTestSupport {
  private DigitsServerTestSupport() {}

  public static String request(String id, JsonNode rows) {
    return DigitsServerTest.request(id, rows);
  }
}
