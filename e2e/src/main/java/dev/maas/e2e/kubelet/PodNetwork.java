package dev.maas.e2e.kubelet;

import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives every pod a network of its own, as a CNI plugin would: a network namespace with an address
 * on a host bridge, so the runtime binds 0.0.0.0:8080 in each pod as it does in a cluster, and the
 * host (probes, the service proxy, tests) reaches each pod at its own address. Needs root
 * (CAP_NET_ADMIN) and iproute2.
 *
 * @param bridge the host bridge, e.g. maase2e0 (at most 15 characters)
 * @param prefix the first two octets of the /16 the pods get addresses from, e.g. 10.250
 */
final class PodNetwork implements AutoCloseable {
  private final String bridge;
  private final String prefix;
  private final BitSet used = new BitSet(65536);
  private final Map<String, Integer> byPod = new ConcurrentHashMap<>();

  PodNetwork(String bridge, String prefix) {
    this.bridge = bridge;
    this.prefix = prefix;
    removeLeftovers();
    Shell.run("ip", "link", "add", bridge, "type", "bridge");
    Shell.run("ip", "addr", "add", gateway() + "/16", "dev", bridge);
    Shell.run("ip", "link", "set", bridge, "up");
    used.set(0, 2); // the network and the bridge's own address
  }

  /** Namespaces and the bridge a kubelet that was killed left behind. */
  private void removeLeftovers() {
    for (String line : Shell.run(false, "ip", "netns", "list").split("\n")) {
      String name = line.strip().split("\\s+")[0];
      if (name.startsWith(bridge + "-")) {
        Shell.run(false, "ip", "netns", "del", name);
      }
    }
    Shell.run(false, "ip", "link", "del", bridge);
  }

  /** The host's address on the bridge: what pods reach the host (a model server) at. */
  String gateway() {
    return prefix + ".0.1";
  }

  /** A namespace and an address for the pod; returns the address. */
  synchronized String attach(String podId) {
    int index = used.nextClearBit(2);
    used.set(index);
    byPod.put(podId, index);
    String namespace = namespace(podId);
    String hostSide = "vh" + podId.substring(0, 8);
    String ip = prefix + "." + (index / 256) + "." + (index % 256);
    Shell.run(false, "ip", "netns", "del", namespace);
    Shell.run("ip", "netns", "add", namespace);
    Shell.run(
        "ip", "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", namespace);
    Shell.run("ip", "link", "set", hostSide, "master", bridge, "up");
    Shell.run("ip", "-n", namespace, "addr", "add", ip + "/16", "dev", "eth0");
    Shell.run("ip", "-n", namespace, "link", "set", "eth0", "up");
    Shell.run("ip", "-n", namespace, "link", "set", "lo", "up");
    Shell.run("ip", "-n", namespace, "route", "add", "default", "via", gateway());
    return ip;
  }

  /**
   * The pod's network namespace: named after the bridge, so one kubelet's never clash with
   * another's.
   */
  String namespace(String podId) {
    return bridge + "-" + podId.substring(0, 12);
  }

  synchronized void detach(String podId) {
    Integer index = byPod.remove(podId);
    Shell.run(false, "ip", "netns", "del", namespace(podId));
    Shell.run(false, "ip", "link", "del", "vh" + podId.substring(0, 8));
    if (index != null) {
      used.clear(index);
    }
  }

  @Override
  public synchronized void close() {
    for (String pod : byPod.keySet().toArray(String[]::new)) {
      detach(pod);
    }
    removeLeftovers();
  }
}
