package dev.maas.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.maas.operator.render.AutoscalerModel;
import dev.maas.operator.testing.Eventually;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Plays the Prometheus adapter for the HPA controller: an aggregated API server for {@code
 * custom.metrics.k8s.io/v1beta2} that answers {@code maas_inflight_requests} for every running pod
 * the HPA's selector matches, with a value per namespace the test sets. The real kube-apiserver
 * proxies to it (registered by an APIService with its CA, reached through aggregator routing at the
 * kubelet host's address) and the real HPA controller scales on what it says. What it does not
 * prove: the adapter's own configuration and Prometheus queries, and that a pod really had that
 * many requests in flight. It does not check the front proxy's client certificate.
 */
final class FixedCustomMetricsAdapter implements AutoCloseable {
  static final String GROUP = "custom.metrics.k8s.io";
  static final String VERSION = "v1beta2";
  private static final String NAMESPACE = "maas-e2e-metrics";
  private static final String SERVICE = "custom-metrics";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern METRIC_PATH =
      Pattern.compile(
          "/apis/" + GROUP + "/" + VERSION + "/namespaces/([^/]+)/pods/([^/]+)/([^/]+)");

  private final KubernetesClient client;
  private final HttpsServer server;
  private final Map<String, String> perPod = new ConcurrentHashMap<>();

  private FixedCustomMetricsAdapter(KubernetesClient client, HttpsServer server) {
    this.client = client;
    this.server = server;
  }

  /** Serves on the kubelet host's address and registers the APIService; waits until available. */
  static FixedCustomMetricsAdapter start(KubernetesClient client, String hostIp, Path work)
      throws Exception {
    Path keys = work.resolve("custom-metrics");
    Files.createDirectories(keys);
    Path store = keys.resolve("serving.p12");
    Files.deleteIfExists(store);
    String dns = SERVICE + "." + NAMESPACE + ".svc";
    keytool(
        "-genkeypair",
        "-alias",
        "serving",
        "-keyalg",
        "EC",
        "-dname",
        "CN=" + dns,
        "-ext",
        "san=dns:" + dns + ",ip:" + hostIp,
        "-validity",
        "2",
        "-keystore",
        store.toString(),
        "-storepass",
        "changeit",
        "-storetype",
        "PKCS12");
    byte[] certificate =
        keytool(
            "-exportcert",
            "-rfc",
            "-alias",
            "serving",
            "-keystore",
            store.toString(),
            "-storepass",
            "changeit");

    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keyStore, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(hostIp, 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    FixedCustomMetricsAdapter adapter = new FixedCustomMetricsAdapter(client, server);
    server.createContext("/", adapter::handle);
    server.start();
    adapter.register(hostIp, server.getAddress().getPort(), certificate);
    Eventually.until(
        () -> "the APIService " + VERSION + "." + GROUP + " available: " + adapter.availability(),
        Duration.ofSeconds(60),
        Duration.ofMillis(500),
        () -> adapter.availability().startsWith("True"));
    return adapter;
  }

  /** From now on every running pod of the namespace reports this many requests in flight. */
  void set(String namespace, String value) {
    perPod.put(namespace, value);
  }

  private void register(String hostIp, int port, byte[] caBundle) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    client
        .services()
        .inNamespace(NAMESPACE)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(SERVICE)
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withName("https")
                .withPort(443)
                .withNewTargetPort(port)
                .endPort()
                .endSpec()
                .build())
        .serverSideApply();
    client
        .endpoints()
        .inNamespace(NAMESPACE)
        .resource(
            new EndpointsBuilder()
                .withNewMetadata()
                .withName(SERVICE)
                .endMetadata()
                .addNewSubset()
                .addNewAddress()
                .withIp(hostIp)
                .endAddress()
                .addNewPort()
                .withName("https")
                .withPort(port)
                .endPort()
                .endSubset()
                .build())
        .serverSideApply();
    // apiregistration.k8s.io is not among the client's models: the APIService as plain data.
    GenericKubernetesResource apiService = new GenericKubernetesResource();
    apiService.setApiVersion("apiregistration.k8s.io/v1");
    apiService.setKind("APIService");
    apiService.setMetadata(new ObjectMetaBuilder().withName(VERSION + "." + GROUP).build());
    apiService.setAdditionalProperty(
        "spec",
        Map.of(
            "group",
            GROUP,
            "version",
            VERSION,
            "groupPriorityMinimum",
            100,
            "versionPriority",
            100,
            "caBundle",
            Base64.getEncoder().encodeToString(caBundle),
            "service",
            Map.of("namespace", NAMESPACE, "name", SERVICE, "port", 443)));
    client.resource(apiService).serverSideApply();
  }

  /** The APIService's Available condition: status, reason and message. */
  @SuppressWarnings("unchecked")
  private String availability() {
    GenericKubernetesResource found =
        client
            .genericKubernetesResources("apiregistration.k8s.io/v1", "APIService")
            .withName(VERSION + "." + GROUP)
            .get();
    Object status = found == null ? null : found.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> fields)
        || !(fields.get("conditions") instanceof List<?> list)) {
      return "no status";
    }
    return list.stream()
        .map(c -> (Map<String, Object>) c)
        .filter(c -> "Available".equals(c.get("type")))
        .map(c -> c.get("status") + " " + c.get("reason") + ": " + c.get("message"))
        .findFirst()
        .orElse("no Available condition");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Matcher metric = METRIC_PATH.matcher(path);
      if (path.equals("/apis/" + GROUP + "/" + VERSION)) {
        reply(exchange, 200, discovery());
      } else if (metric.matches()
          && metric.group(3).equals(AutoscalerModel.INFLIGHT_METRIC)
          && exchange.getRequestMethod().equals("GET")) {
        reply(exchange, 200, values(metric.group(1), metric.group(2), selector(exchange)));
      } else {
        reply(
            exchange,
            404,
            Map.of(
                "kind",
                "Status",
                "apiVersion",
                "v1",
                "status",
                "Failure",
                "reason",
                "NotFound",
                "code",
                404,
                "message",
                path + " not found"));
      }
    }
  }

  private static Map<String, Object> discovery() {
    return Map.of(
        "kind",
        "APIResourceList",
        "apiVersion",
        "v1",
        "groupVersion",
        GROUP + "/" + VERSION,
        "resources",
        List.of(
            Map.of(
                "name",
                "pods/" + AutoscalerModel.INFLIGHT_METRIC,
                "singularName",
                "",
                "namespaced",
                true,
                "kind",
                "MetricValueList",
                "verbs",
                List.of("get"))));
  }

  /** A MetricValueList: one item per running pod the selector (or the name) picks. */
  private Map<String, Object> values(String namespace, String name, String selector) {
    String value = perPod.get(namespace);
    List<Pod> pods =
        value == null
            ? List.of()
            : client
                .pods()
                .inNamespace(namespace)
                .list(new ListOptionsBuilder().withLabelSelector(selector).build())
                .getItems()
                .stream()
                .filter(p -> name.equals("*") || name.equals(p.getMetadata().getName()))
                .filter(p -> "Running".equals(p.getStatus().getPhase()))
                .toList();
    String now = Instant.now().toString();
    List<Map<String, Object>> items =
        pods.stream()
            .map(
                pod -> {
                  Map<String, Object> item = new LinkedHashMap<>();
                  item.put(
                      "describedObject",
                      Map.of(
                          "kind",
                          "Pod",
                          "namespace",
                          namespace,
                          "name",
                          pod.getMetadata().getName(),
                          "apiVersion",
                          "/v1"));
                  item.put("metric", Map.of("name", AutoscalerModel.INFLIGHT_METRIC));
                  item.put("timestamp", now);
                  item.put("windowSeconds", 30);
                  item.put("value", value);
                  return item;
                })
            .toList();
    return Map.of(
        "kind",
        "MetricValueList",
        "apiVersion",
        GROUP + "/" + VERSION,
        "metadata",
        Map.of(),
        "items",
        items);
  }

  private static String selector(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("labelSelector=")) {
        return URLDecoder.decode(pair.substring("labelSelector=".length()), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static byte[] keytool(String... args) throws IOException, InterruptedException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + err);
    }
    return out;
  }

  @Override
  public void close() {
    client
        .genericKubernetesResources("apiregistration.k8s.io/v1", "APIService")
        .withName(VERSION + "." + GROUP)
        .delete();
    server.stop(0);
  }
}
