package dev.maas.runtime.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One kept-alive HTTP/1.1 connection to a runtime's server (a candidate pod the shadow mirror
 * copies requests to, or this runtime itself while it warms its serving path), used by one thread
 * at a time: a request is written and its answer read on that thread, with no other thread woken.
 * The JDK's HttpClient hands every request between three threads, and on a serving pod's busy core
 * each of those wake-ups preempts the event loop (the mirroring benchmark's p99); a copy of a
 * request needs none of what it adds (HTTP/2, redirects, authentication, proxies). What the
 * runtime's own server sends is all it reads: a status line, headers, a body of Content-Length
 * bytes or chunked.
 */
public final class RuntimeConnection implements AutoCloseable {
  /** A status code and the body, read whole (an inference answer is small). */
  public record Answer(int status, byte[] body) {}

  private static final int MAX_HEADER_LINE = 8192;
  private static final int MAX_BODY = 64 * 1024 * 1024;

  private final String host;
  private final int port;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final SSLSocketFactory tls;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  public RuntimeConnection(URI base, int connectTimeoutMillis, int readTimeoutMillis) {
    this(base, connectTimeoutMillis, readTimeoutMillis, null);
  }

  /** {@code tls}: how to speak TLS to an {@code https} base; null for {@code http}. */
  public RuntimeConnection(
      URI base, int connectTimeoutMillis, int readTimeoutMillis, SSLSocketFactory tls) {
    this.host = base.getHost();
    this.port = base.getPort() < 0 ? (tls == null ? 80 : 443) : base.getPort();
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.readTimeoutMillis = readTimeoutMillis;
    this.tls = tls;
  }

  /**
   * POSTs a JSON body; reconnects once when a kept-alive connection turns out closed by the other
   * end before it answered (the normal end of an idle keep-alive).
   */
  public Answer post(String path, byte[] body) throws IOException {
    return post(path, body, null);
  }

  /** As {@link #post(String, byte[])}, with an {@code Authorization} header unless null. */
  public Answer post(String path, byte[] body, String authorization) throws IOException {
    boolean reused = socket != null;
    try {
      return exchange(path, body, authorization);
    } catch (IOException e) {
      close();
      if (!reused) {
        throw e;
      }
      return exchange(path, body, authorization);
    }
  }

  private Answer exchange(String path, byte[] body, String authorization) throws IOException {
    if (socket == null) {
      Socket opened = new Socket();
      opened.setTcpNoDelay(true);
      opened.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
      opened.setSoTimeout(readTimeoutMillis);
      if (tls != null) {
        SSLSocket secured = (SSLSocket) tls.createSocket(opened, host, port, true);
        secured.startHandshake();
        opened = secured;
      }
      socket = opened;
      in = new BufferedInputStream(opened.getInputStream(), 8192);
      out = opened.getOutputStream();
    }
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + ":"
            + port
            + (authorization == null ? "" : "\r\nAuthorization: " + authorization)
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    out.write(request);
    out.flush();
    return read();
  }

  private Answer read() throws IOException {
    String statusLine = line();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x answer: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    boolean closes = parts[0].equals("HTTP/1.0");
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> closes = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    byte[] body;
    if (chunked) {
      body = chunkedBody();
    } else if (length >= 0) {
      if (length > MAX_BODY) {
        throw new IOException("an answer of " + length + " bytes");
      }
      body = in.readNBytes((int) length);
      if (body.length != length) {
        throw new IOException("the answer ended after " + body.length + " of " + length + " bytes");
      }
    } else {
      body = in.readAllBytes();
      closes = true;
    }
    if (closes) {
      close();
    }
    return new Answer(status, body);
  }

  private byte[] chunkedBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line();
      int semicolon = sizeLine.indexOf(';');
      int size =
          Integer.parseInt(
              (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!line().isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      if (body.size() + size > MAX_BODY) {
        throw new IOException("an answer of more than " + MAX_BODY + " bytes");
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length != size) {
        throw new IOException("the answer ended inside a chunk");
      }
      body.write(chunk);
      line();
    }
  }

  /** One CRLF-terminated line, without it. */
  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed");
      }
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      if (line.length() >= MAX_HEADER_LINE) {
        throw new IOException("a header line longer than " + MAX_HEADER_LINE);
      }
      line.append((char) b);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a connection we no longer want
      }
    }
    socket = null;
    in = null;
    out = null;
  }
}
