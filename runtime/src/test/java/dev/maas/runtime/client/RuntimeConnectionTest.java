package dev.maas.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The mirror's own HTTP/1.1 connection against a real server: both body framings, keep-alive. */
class RuntimeConnectionTest {

  private static HttpServer echo(List<String> remotePorts) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          remotePorts.add(Integer.toString(exchange.getRemoteAddress().getPort()));
          byte[] body = exchange.getRequestBody().readAllBytes();
          boolean chunked = exchange.getRequestURI().getPath().endsWith("/chunked");
          int status = exchange.getRequestURI().getPath().endsWith("/missing") ? 404 : 200;
          // 0: chunked; otherwise the length, framed by Content-Length.
          exchange.sendResponseHeaders(status, chunked ? 0 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            if (chunked) {
              for (byte b : body) {
                out.write(b);
                out.flush(); // a chunk per byte
              }
            } else {
              out.write(body);
            }
          }
        });
    server.start();
    return server;
  }

  @Test
  void answersByLengthAndChunkedOverOneKeptAliveConnection() throws Exception {
    List<String> ports = Collections.synchronizedList(new ArrayList<>());
    HttpServer server = echo(ports);
    try (RuntimeConnection connection =
        new RuntimeConnection(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()), 2000, 5000)) {
      byte[] body = "{\"inputs\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);

      RuntimeConnection.Answer first = connection.post("/v2/models/m/infer", body);
      RuntimeConnection.Answer chunked = connection.post("/v2/models/m/chunked", body);
      RuntimeConnection.Answer missing = connection.post("/v2/models/m/missing", body);

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.body()).isEqualTo(body);
      assertThat(chunked.status()).isEqualTo(200);
      assertThat(chunked.body()).isEqualTo(body);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(ports).as("one connection for all three").hasSize(3).containsOnly(ports.get(0));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aKeptAliveConnectionTheServerClosedIsOpenedAgainOnce() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Thread serving =
          new Thread(
              () -> {
                // Each connection answers one request, then the server closes it, as an idle
                // keep-alive ends.
                while (!server.isClosed()) {
                  try (Socket socket = server.accept()) {
                    connections.incrementAndGet();
                    BufferedReader in =
                        new BufferedReader(
                            new InputStreamReader(
                                socket.getInputStream(), StandardCharsets.US_ASCII));
                    int length = 0;
                    for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                      if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                      }
                    }
                    in.skip(length);
                    socket
                        .getOutputStream()
                        .write(
                            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                                .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      serving.setDaemon(true);
      serving.start();
      try (RuntimeConnection connection =
          new RuntimeConnection(
              URI.create("http://127.0.0.1:" + server.getLocalPort()), 2000, 5000)) {
        assertThat(connection.post("/a", new byte[] {1}).body()).isEqualTo("ok".getBytes());
        Thread.sleep(200); // the server has closed it by now
        assertThat(connection.post("/b", new byte[] {2}).body()).isEqualTo("ok".getBytes());
      }
      assertThat(connections.get()).isEqualTo(2);
    }
  }

  @Test
  void nothingListeningIsAnIoError() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    try (RuntimeConnection connection =
        new RuntimeConnection(URI.create("http://127.0.0.1:" + port), 2000, 5000)) {
      assertThatThrownBy(() -> connection.post("/x", new byte[0])).isInstanceOf(IOException.class);
    }
  }
}
