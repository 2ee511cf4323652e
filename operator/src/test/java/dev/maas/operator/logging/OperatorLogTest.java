package dev.maas.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The operator's own log configuration (the jar's logback.xml), fed the lines the Kubernetes client
 * logs when the API server restarts: each is one line, and a lost and restarted watch is said.
 */
class OperatorLogTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream stderr;
  private LoggerContext context;

  @BeforeEach
  void configure() throws Exception {
    stderr = System.err;
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    joran.doConfigure(getClass().getClassLoader().getResource("logback.xml"));
  }

  @AfterEach
  void restore() {
    context.stop();
    System.setErr(stderr);
  }

  private List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void aDroppedWebSocketIsOneLineWithItsCausesNotAStackTrace() {
    Logger log = context.getLogger("io.fabric8.kubernetes.client.jdkhttp.JdkWebSocketImpl");
    log.warn(
        "Queued close did not succeed",
        new IOException("Output closed", new ConnectException("Connection refused")));
    assertThat(lines())
        .singleElement()
        .asString()
        .contains("level=WARN")
        .contains("msg=\"Queued close did not succeed\"")
        .contains(
            "error=\"java.io.IOException: Output closed; caused by java.net.ConnectException:"
                + " Connection refused (at ");
  }

  @Test
  void aWatchLostAndStartedAgainIsSaidAndOtherClientDebugIsNot() {
    context
        .getLogger("io.fabric8.kubernetes.client.dsl.internal.AbstractWatchManager")
        .debug("Scheduling reconnect task in {} ms", 1000);
    Logger reflector =
        context.getLogger("io.fabric8.kubernetes.client.informers.impl.cache.Reflector");
    reflector.debug("Watch started for {}", "v1/namespaces/x/pods");
    reflector.debug("Event received {} {} resourceVersion v{} for {}", "MODIFIED", "Pod", 1, "x");
    reflector.debug("Watch gracefully closed for {}", "v1/namespaces/x/pods");
    assertThat(lines())
        .hasSize(2)
        .anySatisfy(l -> assertThat(l).contains("Scheduling reconnect task in 1000 ms"))
        .anySatisfy(l -> assertThat(l).contains("Watch started for v1/namespaces/x/pods"));
  }
}
