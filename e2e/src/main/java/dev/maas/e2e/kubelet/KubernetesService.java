package dev.maas.e2e.kubelet;

import dev.maas.e2e.TcpRelay;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays kube-proxy for the one Service every pod may use, {@code default/kubernetes}: its ClusterIP
 * becomes an address of the pods' bridge on the host, and connections to it are forwarded to the
 * API server, which listens on loopback here. So a pod reaches the API server at {@code
 * KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT}, as in any cluster, and the API server's
 * certificate (which names the ClusterIP) verifies. Optional: when the address or the port is taken
 * (another kubelet of this machine plays it already), pods of this kubelet get no API server.
 */
final class KubernetesService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesService.class);

  private final String clusterIp;
  private final int port;
  private final ServerSocket listener;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  private KubernetesService(String clusterIp, int port, ServerSocket listener) {
    this.clusterIp = clusterIp;
    this.port = port;
    this.listener = listener;
  }

  /** Empty when the Service has no ClusterIP yet, or its address cannot be taken here. */
  static Optional<KubernetesService> start(KubernetesClient client, String bridge) {
    Service service = client.services().inNamespace("default").withName("kubernetes").get();
    if (service == null || service.getSpec().getClusterIP() == null) {
      LOG.warn("no default/kubernetes Service: pods get no API server");
      return Optional.empty();
    }
    String ip = service.getSpec().getClusterIP();
    int port = service.getSpec().getPorts().get(0).getPort();
    URI api = URI.create(client.getConfiguration().getMasterUrl());
    Shell.run(false, "ip", "addr", "add", ip + "/32", "dev", bridge);
    try {
      ServerSocket listener = new ServerSocket();
      listener.setReuseAddress(true);
      listener.bind(new InetSocketAddress(InetAddress.getByName(ip), port), 128);
      KubernetesService forwarder = new KubernetesService(ip, port, listener);
      InetSocketAddress target =
          new InetSocketAddress(api.getHost(), api.getPort() < 0 ? 443 : api.getPort());
      forwarder.threads.submit(() -> forwarder.accept(target));
      LOG.info("pods reach the API server {} at {}:{}", api, ip, port);
      return Optional.of(forwarder);
    } catch (IOException e) {
      LOG.warn(
          "cannot listen on {}:{} for the API server ({}): pods get none", ip, port, e.toString());
      return Optional.empty();
    }
  }

  /** What kubelet puts into every container's environment for this Service. */
  Map<String, String> environment() {
    String address = "tcp://" + clusterIp + ":" + port;
    return Map.of(
        "KUBERNETES_SERVICE_HOST",
        clusterIp,
        "KUBERNETES_SERVICE_PORT",
        String.valueOf(port),
        "KUBERNETES_SERVICE_PORT_HTTPS",
        String.valueOf(port),
        "KUBERNETES_PORT",
        address,
        "KUBERNETES_PORT_" + port + "_TCP",
        address,
        "KUBERNETES_PORT_" + port + "_TCP_PROTO",
        "tcp",
        "KUBERNETES_PORT_" + port + "_TCP_PORT",
        String.valueOf(port),
        "KUBERNETES_PORT_" + port + "_TCP_ADDR",
        clusterIp);
  }

  private void accept(InetSocketAddress target) {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        threads.submit(() -> TcpRelay.relay(client, target, 5000, threads));
      } catch (IOException closed) {
        return;
      }
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    threads.shutdownNow();
  }
}
