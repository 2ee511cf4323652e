package dev.maas.e2e;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays kube-proxy for one Service: a local TCP port that forwards each new connection to one of
 * the Service's ready endpoints, round robin, as the EndpointSlice controller lists them. Like
 * kube-proxy it routes connections, not requests: a keep-alive connection stays with its pod.
 */
public final class ServiceProxy implements AutoCloseable {
  private final SharedIndexInformer<EndpointSlice> slices;
  private final String portName;
  private final ServerSocket listener;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger next = new AtomicInteger();

  public ServiceProxy(
      KubernetesClient client, String namespace, String service, String portName, int localPort) {
    this.portName = portName;
    this.slices =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(namespace)
            .withLabel("kubernetes.io/service-name", service)
            .inform();
    try {
      listener = new ServerSocket(localPort, 128, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    threads.submit(this::accept);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The addresses of the ready endpoints, as ip:port. */
  public List<InetSocketAddress> readyEndpoints() {
    List<InetSocketAddress> ready = new ArrayList<>();
    for (EndpointSlice slice : slices.getStore().list()) {
      Optional<Integer> port =
          Optional.ofNullable(slice.getPorts()).orElse(List.of()).stream()
              .filter(p -> portName.equals(p.getName()))
              .map(EndpointPort::getPort)
              .findFirst();
      if (port.isEmpty()) {
        continue;
      }
      for (Endpoint endpoint : Optional.ofNullable(slice.getEndpoints()).orElse(List.of())) {
        boolean isReady =
            endpoint.getConditions() != null
                && Boolean.TRUE.equals(endpoint.getConditions().getReady());
        if (isReady) {
          for (String address : endpoint.getAddresses()) {
            ready.add(new InetSocketAddress(address, port.get()));
          }
        }
      }
    }
    ready.sort(java.util.Comparator.comparing(InetSocketAddress::toString));
    return ready;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        threads.submit(() -> forward(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void forward(Socket client) {
    List<InetSocketAddress> ready = readyEndpoints();
    if (ready.isEmpty()) {
      TcpRelay.close(client);
      return;
    }
    InetSocketAddress target = ready.get(Math.floorMod(next.getAndIncrement(), ready.size()));
    TcpRelay.relay(client, target, 2000, threads);
  }

  @Override
  public void close() {
    TcpRelay.close(listener);
    slices.close();
    threads.shutdownNow();
  }
}
