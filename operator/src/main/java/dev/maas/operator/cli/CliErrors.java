package dev.maas.operator.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/** One line for a user, from an exception a command can expect: a file that is missing or bad. */
final class CliErrors {
  private CliErrors() {}

  static String describe(IOException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return "unknown field \""
          + dotted(unknown.getPath())
          + "\"; known fields: "
          // Sorted: Jackson lists them in an order of its own, which a new field reshuffles.
          + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
    }
    if (e instanceof JsonProcessingException parse) {
      return "not valid YAML: " + firstLine(parse.getOriginalMessage()) + at(parse.getLocation());
    }
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return firstLine(e.getMessage());
  }

  private static String dotted(List<JsonMappingException.Reference> path) {
    StringBuilder dotted = new StringBuilder();
    for (JsonMappingException.Reference step : path) {
      if (step.getFieldName() != null) {
        dotted.append(dotted.length() == 0 ? "" : ".").append(step.getFieldName());
      } else if (step.getIndex() >= 0) {
        dotted.append('[').append(step.getIndex()).append(']');
      }
    }
    return dotted.toString();
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
