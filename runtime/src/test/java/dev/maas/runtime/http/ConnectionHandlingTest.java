package dev.maas.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas.runtime.TestModels;
import dev.maas.runtime.TestServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 connection behaviour a hostile or careless client finds: pipelined requests answered in
 * order and none dropped, half-closed connections answered, idle and trickling connections cut off,
 * and a bound on connections. Raw sockets, since ordinary clients never pipeline.
 */
class ConnectionHandlingTest {
  private static final String ROW =
      "[" + String.join(",", java.util.Collections.nCopies(64, "0.5")) + "]";
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            TestServer.config(TestModels.digitsMlp(), "digits", "input:FP32:-1,64", 8)
                .withConnections(
                    new ConnectionLimits(6, Duration.ofSeconds(2), Duration.ofSeconds(2))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderWhileOtherConnectionsLoadTheServer() throws Exception {
    ExecutorService load = Executors.newFixedThreadPool(2);
    List<Future<?>> background = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      background.add(
          load.submit(
              () -> {
                for (int n = 0; n < 40; n++) {
                  server.post("/v2/models/digits/infer", infer("load", 8));
                }
                return null;
              }));
    }
    try {
      for (int trial = 0; trial < 10; trial++) {
        try (Socket socket = connect()) {
          StringBuilder requests = new StringBuilder();
          List<String> expected = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            if (i % 3 == 2) {
              requests.append("GET /v2/health/ready HTTP/1.1\r\nHost: x\r\n\r\n");
              expected.add("health");
            } else {
              String id = "t" + trial + "-" + i;
              requests.append(post(infer(id, 1 + i % 4), ""));
              expected.add(id);
            }
          }
          send(socket, requests.toString());
          InputStream in = new BufferedInputStream(socket.getInputStream());
          List<String> answered = new ArrayList<>();
          for (int i = 0; i < expected.size(); i++) {
            Response response = Response.read(in);
            assertThat(response.status).isEqualTo(200);
            answered.add(response.body.contains("\"ready\"") ? "health" : id(response));
          }
          assertThat(answered).containsExactlyElementsOf(expected);
        }
      }
    } finally {
      for (Future<?> f : background) {
        f.get();
      }
      load.shutdown();
    }
  }

  @Test
  void aPipelinedConnectionCloseIsAnsweredAfterEveryEarlierRequestAndThenCloses() throws Exception {
    try (Socket socket = connect()) {
      send(
          socket,
          post(infer("a", 4), "")
              + post(infer("b", 1), "")
              + post(infer("c", 2), "Connection: close\r\n")
              + post(infer("never", 1), ""));
      InputStream in = new BufferedInputStream(socket.getInputStream());
      assertThat(id(Response.read(in))).isEqualTo("a");
      assertThat(id(Response.read(in))).isEqualTo("b");
      Response last = Response.read(in);
      assertThat(id(last)).isEqualTo("c");
      assertThat(last.headers).containsIgnoringCase("connection: close");
      assertThat(in.read()).as("closed after the Connection: close answer").isEqualTo(-1);
    }
  }

  @Test
  void aClientThatShutsItsWriteSideAfterAPostStillGetsTheAnswer() throws Exception {
    try (Socket socket = connect()) {
      send(socket, post(infer("half", 2), "") + post(infer("closed", 1), ""));
      socket.shutdownOutput();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      assertThat(id(Response.read(in))).isEqualTo("half");
      assertThat(id(Response.read(in))).isEqualTo("closed");
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void anIdleConnectionIsClosedAndATricklingRequestGets408() throws Exception {
    try (Socket idle = connect()) {
      long start = System.nanoTime();
      assertThat(idle.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
    try (Socket slow = connect()) {
      String request = post(infer("slow", 1), "");
      send(slow, request.substring(0, request.length() - 20));
      InputStream in = new BufferedInputStream(slow.getInputStream());
      for (int i = 0; i < 3; i++) {
        Thread.sleep(900);
        send(slow, request.substring(request.length() - 20 + i, request.length() - 19 + i));
      }
      Response timedOut = Response.read(in);
      assertThat(timedOut.status).isEqualTo(408);
      assertThat(timedOut.body).contains("did not arrive in time");
    }
    assertStillServing();
  }

  @Test
  void connectionsBeyondTheLimitGet503AndTheServerKeepsServing() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      Response refused = null;
      for (int i = 0; i < 10 && refused == null; i++) {
        Socket socket = connect();
        held.add(socket);
        socket.setSoTimeout(300);
        try {
          int first = socket.getInputStream().read();
          if (first >= 0) {
            refused =
                Response.read(
                    new java.io.SequenceInputStream(
                        new java.io.ByteArrayInputStream(new byte[] {(byte) first}),
                        socket.getInputStream()));
          }
        } catch (java.net.SocketTimeoutException stillOpen) {
          // accepted within the limit
        }
      }
      assertThat(refused).as("a connection over the limit is refused").isNotNull();
      assertThat(refused.status).isEqualTo(503);
      assertThat(refused.body).contains("limit of 6 connections");
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
    Thread.sleep(200);
    assertStillServing();
  }

  /** On a connection of its own: the test client's pooled ones may have been idle-closed. */
  private static void assertStillServing() throws IOException {
    try (Socket socket = connect()) {
      send(socket, post(infer("after", 1), "Connection: close\r\n"));
      Response response = Response.read(new BufferedInputStream(socket.getInputStream()));
      assertThat(response.status).isEqualTo(200);
      assertThat(id(response)).isEqualTo("after");
    }
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout(20_000);
    return socket;
  }

  private static void send(Socket socket, String bytes) throws IOException {
    socket.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  private static String infer(String id, int rows) {
    List<String> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      data.add(ROW);
    }
    return "{\"id\":\""
        + id
        + "\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":["
        + rows
        + ",64],\"data\":["
        + String.join(",", data)
        + "]}]}";
  }

  private static String post(String body, String extraHeaders) {
    return "POST /v2/models/digits/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + extraHeaders
        + "Content-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  private static String id(Response response) throws IOException {
    JsonNode json = TestServer.JSON.readTree(response.body);
    return json.path("id").asText();
  }

  /** One HTTP/1.1 response with a Content-Length, read off a raw stream. */
  private record Response(int status, String headers, String body) {
    static Response read(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed inside a response head: " + head);
        }
        head.write(b);
        matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String headers = head.toString(StandardCharsets.US_ASCII);
      int status = Integer.parseInt(headers.substring(9, 12));
      int length = 0;
      for (String line : headers.split("\r\n")) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      byte[] body = in.readNBytes(length);
      return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }
  }
}
