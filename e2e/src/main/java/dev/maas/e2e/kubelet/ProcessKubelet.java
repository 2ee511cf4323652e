package dev.maas.e2e.kubelet;

import dev.maas.operator.testing.HostPathProvisioner;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet of some nodes of the local cluster with local processes: registers the nodes
 * (not annotated for kwok, so kwok leaves them alone), keeps their leases fresh, and runs every pod
 * the scheduler binds to them in a {@link PodWorker}: its own network namespace and address, its
 * volumes as directories (claims of the default class through a {@link HostPathProvisioner}), its
 * container under bubblewrap as the user it asks for, its probes, restarts and termination. Needs
 * root, iproute2, bubblewrap and setpriv.
 */
public final class ProcessKubelet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessKubelet.class);
  static final Duration LEASE_DURATION = Duration.ofSeconds(40);

  /**
   * @param nodes how many nodes to play, named {@code nodePrefix-0..}
   * @param bridge the host bridge the pods' networks hang off (at most 15 characters)
   * @param subnet the first two octets of the pods' /16, e.g. 10.250
   */
  public record Settings(
      String nodePrefix, int nodes, Path stateDir, Path runtimeJar, String bridge, String subnet) {}

  private final KubernetesClient client;
  private final Settings settings;
  private final PodNetwork network;
  private final Optional<KubernetesService> kubernetesService;
  private final HostPathProvisioner provisioner;
  private final KubeletContext context;
  private final Set<String> nodeNames = ConcurrentHashMap.newKeySet();
  private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
  private final ExecutorService podThreads = Executors.newCachedThreadPool();
  private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
  private final SharedIndexInformer<Pod> pods;

  public ProcessKubelet(KubernetesClient client, Settings settings) {
    this.client = client;
    this.settings = settings;
    this.network = new PodNetwork(settings.bridge(), settings.subnet());
    this.kubernetesService = KubernetesService.start(client, settings.bridge());
    this.provisioner =
        HostPathProvisioner.withDirectories(client, settings.stateDir().resolve("volumes"));
    this.context =
        new KubeletContext(
            client,
            network,
            provisioner,
            settings.runtimeJar().toAbsolutePath(),
            settings.stateDir().toAbsolutePath(),
            network.gateway(),
            kubernetesService.map(KubernetesService::environment).orElse(Map.of()));
    for (int i = 0; i < settings.nodes(); i++) {
      String node = settings.nodePrefix() + "-" + i;
      nodeNames.add(node);
      register(node);
    }
    heartbeat.scheduleAtFixedRate(this::renewLeases, 0, 10, TimeUnit.SECONDS);
    this.pods =
        client
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    handle(pod);
                  }

                  @Override
                  public void onUpdate(Pod before, Pod pod) {
                    handle(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {
                    PodWorker worker = workers.get(pod.getMetadata().getUid());
                    if (worker != null) {
                      worker.forget();
                    }
                  }
                });
  }

  /** The address pods reach the host at: where a test's model server listens. */
  /** The directory behind a bound claim: what a test reads a volume's files from. */
  public Optional<Path> claimDirectory(String namespace, String claim) {
    return provisioner.directory(namespace, claim);
  }

  public String hostIp() {
    return network.gateway();
  }

  public List<String> nodes() {
    return List.copyOf(nodeNames);
  }

  /**
   * Pods of the namespace this kubelet still looks after (running, or finished and not deleted).
   */
  public long pods(String namespace) {
    return workers.values().stream().filter(w -> w.namespace().equals(namespace)).count();
  }

  /** Processes (containers) of the namespace's pods that are alive now. */
  public long processes(String namespace) {
    return workers.values().stream()
        .filter(w -> w.namespace().equals(namespace))
        .filter(PodWorker::processAlive)
        .count();
  }

  private void handle(Pod pod) {
    if (pod.getSpec().getNodeName() == null || !nodeNames.contains(pod.getSpec().getNodeName())) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    PodWorker worker = workers.get(uid);
    if (worker == null) {
      if (pod.getMetadata().getDeletionTimestamp() != null
          || "Succeeded".equals(phase(pod))
          || "Failed".equals(phase(pod))) {
        return;
      }
      PodWorker created = new PodWorker(context, pod);
      workers.put(uid, created);
      podThreads.submit(
          () -> {
            try {
              created.run();
            } finally {
              workers.remove(uid);
            }
          });
    } else {
      worker.update(pod);
    }
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  private void register(String name) {
    Map<String, Quantity> capacity = ProcessNodes.capacity();
    Node node = ProcessNodes.node(name, network.gateway());
    client.nodes().withName(name).delete();
    awaitGone(name);
    client.nodes().resource(node).create();
    // The status of a new node is kept on create, but conditions are the kubelet's to post;
    // the node controllers write the node too, so conflicts are retried.
    for (int attempt = 0; ; attempt++) {
      try {
        Node created = client.nodes().withName(name).get();
        created.getStatus().setConditions(List.of(ProcessNodes.readyCondition()));
        created.getStatus().setCapacity(capacity);
        created.getStatus().setAllocatable(capacity);
        client.nodes().resource(created).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 20) {
          throw e;
        }
      }
    }
  }

  private void awaitGone(String name) {
    for (int i = 0; i < 100 && client.nodes().withName(name).get() != null; i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The node lease is the heartbeat the node lifecycle controller reads. */
  private void renewLeases() {
    for (String node : nodeNames) {
      try {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        Lease lease = client.leases().inNamespace("kube-node-lease").withName(node).get();
        if (lease == null) {
          client
              .leases()
              .inNamespace("kube-node-lease")
              .resource(
                  new LeaseBuilder()
                      .withNewMetadata()
                      .withName(node)
                      .withNamespace("kube-node-lease")
                      .endMetadata()
                      .withNewSpec()
                      .withHolderIdentity(node)
                      .withLeaseDurationSeconds((int) LEASE_DURATION.toSeconds())
                      .withRenewTime(now)
                      .endSpec()
                      .build())
              .create();
        } else {
          lease.getSpec().setRenewTime(now);
          client.leases().inNamespace("kube-node-lease").resource(lease).update();
        }
      } catch (KubernetesClientException e) {
        LOG.debug("lease of {} not renewed: {}", node, e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    pods.close();
    List<PodWorker> running = new ArrayList<>(workers.values());
    running.forEach(PodWorker::forget);
    for (PodWorker worker : running) {
      try {
        worker.awaitFinished(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    podThreads.shutdownNow();
    provisioner.close();
    kubernetesService.ifPresent(KubernetesService::close);
    network.close();
  }
}
