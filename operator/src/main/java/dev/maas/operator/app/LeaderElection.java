package dev.maas.operator.app;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election through the Lease {@link OperatorAssembly#LEASE_NAME}, with a clean hand-over.
 * java-operator-sdk exits the JVM when leadership stops, and stopping the operator stops
 * leadership: from inside a SIGTERM shutdown hook that {@code System.exit} blocks forever, the
 * process hangs until SIGKILL, and the Lease is never released (it does not release on cancel), so
 * the standby waits for it to expire. Here leadership lost while running still ends the process
 * (another replica leads now), but a shutdown stops quietly and then releases the Lease, as
 * client-go's ReleaseOnCancel does: the standby takes over within its retry period.
 */
public final class LeaderElection {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  private final String namespace;
  private final String identity;
  private final AtomicBoolean shuttingDown = new AtomicBoolean();

  public LeaderElection(String namespace, String identity) {
    this.namespace = namespace;
    this.identity = identity;
  }

  public String namespace() {
    return namespace;
  }

  public String identity() {
    return identity;
  }

  LeaderElectionConfiguration configuration() {
    return new LeaderElectionConfiguration(
        OperatorAssembly.LEASE_NAME,
        namespace,
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        identity,
        new LeaderCallbacks(() -> {}, this::stoppedLeading, leader -> {}),
        false);
  }

  /** From now on, leadership ending is the shutdown's doing, not another replica's. */
  public void shuttingDown() {
    shuttingDown.set(true);
  }

  private void stoppedLeading() {
    if (shuttingDown.get()) {
      return;
    }
    LOG.error("lost the Lease {} to another replica: exiting", OperatorAssembly.LEASE_NAME);
    // Not from this (the elector's) thread, which a shutdown hook may wait for.
    new Thread(() -> System.exit(1), "exit-on-lost-lease").start();
  }

  /** Gives the Lease up when this process holds it: expired at once, holder cleared. */
  public void release(KubernetesClient client) {
    try {
      Lease lease =
          client.leases().inNamespace(namespace).withName(OperatorAssembly.LEASE_NAME).get();
      if (lease == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setAcquireTime(now);
      lease.getSpec().setRenewTime(now);
      client.resource(lease).update();
      LOG.info("released the Lease {}", OperatorAssembly.LEASE_NAME);
    } catch (KubernetesClientException e) {
      LOG.warn("could not release the Lease {}: {}", OperatorAssembly.LEASE_NAME, e.getMessage());
    }
  }
}
