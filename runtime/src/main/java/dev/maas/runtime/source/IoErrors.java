package dev.maas.runtime.source;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * What went wrong reading an artifact, in words: the JDK's HTTP client throws a {@link
 * ConnectException} with no message for a refused connection, so the bare message read "null".
 */
final class IoErrors {
  private IoErrors() {}

  static String describe(IOException e) {
    String message = e.getMessage();
    if (e instanceof HttpConnectTimeoutException) {
      return "connection timed out";
    }
    if (e instanceof SocketTimeoutException && message != null && message.contains("connect")) {
      return "connection timed out";
    }
    if (e instanceof HttpTimeoutException) {
      return "timed out";
    }
    if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof SocketTimeoutException) {
      return "timed out waiting for the server";
    }
    if (e instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + message;
    }
    if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
