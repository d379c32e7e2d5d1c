package io.swarmtee.proxy.cluster;

import static io.swarmtee.proxy.config.Options.CLUSTER_KUBERNETES_SERVICE;
import static io.swarmtee.proxy.config.Options.CLUSTER_LISTEN;
import static io.swarmtee.proxy.config.Options.CLUSTER_MEMBERS;
import static io.swarmtee.proxy.config.Options.CLUSTER_NAME;

import io.swarmtee.proxy.config.ConfigException;
import io.swarmtee.proxy.config.HostPort;
import io.swarmtee.proxy.config.Option;
import io.swarmtee.proxy.config.Settings;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Cluster settings, read from the server's {@link Settings}. Cluster mode is on exactly when {@code
 * --cluster-listen} is given; then one join method is required: a static member list or a
 * Kubernetes headless Service.
 *
 * @param listen {@code --cluster-listen}: where this member listens for the cluster (port 1-65535)
 * @param members {@code --cluster-members}: static TCP join list; empty with Kubernetes discovery
 * @param kubernetesService {@code --cluster-kubernetes-service}: headless Service name (DNS mode)
 * @param name {@code --cluster-name}: Hazelcast cluster name, keeps separate clusters apart
 */
public record ClusterConfig(
    Optional<HostPort> listen,
    List<HostPort> members,
    Optional<String> kubernetesService,
    String name) {

  private static final String DNS_NAME =
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

  public ClusterConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(kubernetesService, "kubernetesService");
    Objects.requireNonNull(name, "name");
    members = List.copyOf(members);
  }

  /**
   * @return the configuration of a single process (no cluster flags)
   */
  public static ClusterConfig single() {
    return new ClusterConfig(Optional.empty(), List.of(), Optional.empty(), "swarmtee");
  }

  /**
   * @return a cluster joined over TCP through {@code members}
   */
  public static ClusterConfig tcp(HostPort listen, List<HostPort> members, String name) {
    return new ClusterConfig(Optional.of(listen), members, Optional.empty(), name);
  }

  /**
   * @return true when {@code --cluster-listen} was given
   */
  public boolean enabled() {
    return listen.isPresent();
  }

  /**
   * Reads and checks the cluster settings.
   *
   * @throws ConfigException with one line naming the setting
   */
  public static ClusterConfig from(Settings s) throws ConfigException {
    Optional<HostPort> listen = Optional.empty();
    Optional<String> listenText = s.text(CLUSTER_LISTEN).filter(t -> !t.isBlank());
    if (listenText.isPresent()) {
      listen = Optional.of(hostPort(s, CLUSTER_LISTEN, listenText.get()));
      checkLocal(s, listen.get());
    }
    List<HostPort> members = new ArrayList<>();
    for (String m : s.list(CLUSTER_MEMBERS)) {
      HostPort member = hostPort(s, CLUSTER_MEMBERS, m);
      if (member.host().equals("0.0.0.0") || member.host().equals("::")) {
        throw s.fail(CLUSTER_MEMBERS, "a member address cannot be a wildcard: '" + m + "'");
      }
      members.add(member);
    }
    Optional<String> kubernetes = s.text(CLUSTER_KUBERNETES_SERVICE).filter(t -> !t.isBlank());
    if (kubernetes.isPresent() && !kubernetes.get().matches(DNS_NAME)) {
      throw s.fail(
          CLUSTER_KUBERNETES_SERVICE,
          "expected a Service name (lower-case DNS name), got '" + kubernetes.get() + "'");
    }
    String name = s.required(CLUSTER_NAME);
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw s.fail(
          CLUSTER_NAME,
          "expected 1-64 letters, digits, dots, dashes or underscores: '" + name + "'");
    }
    if (listen.isEmpty() && (!members.isEmpty() || kubernetes.isPresent())) {
      throw s.fail(
          members.isEmpty() ? CLUSTER_KUBERNETES_SERVICE : CLUSTER_MEMBERS,
          "needs --cluster-listen (where this member listens for the cluster)");
    }
    if (listen.isPresent() && members.isEmpty() && kubernetes.isEmpty()) {
      throw s.fail(
          CLUSTER_LISTEN,
          "needs --cluster-members or --cluster-kubernetes-service (how to find the other members)");
    }
    if (!members.isEmpty() && kubernetes.isPresent()) {
      throw s.fail(CLUSTER_KUBERNETES_SERVICE, "give either --cluster-members or this, not both");
    }
    return new ClusterConfig(listen, members, kubernetes, name);
  }

  /** Hazelcast binds to this address: it must resolve to an interface of this machine. */
  private static void checkLocal(Settings s, HostPort listen) throws ConfigException {
    String host = listen.host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      return;
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw s.fail(CLUSTER_LISTEN, "unknown host '" + host + "'");
    }
    try {
      if (!address.isLoopbackAddress() && NetworkInterface.getByInetAddress(address) == null) {
        throw s.fail(
            CLUSTER_LISTEN,
            host + " is not an address of this machine (give one of its interfaces, or 0.0.0.0)");
      }
    } catch (SocketException e) {
      throw s.fail(CLUSTER_LISTEN, "cannot list network interfaces: " + e.getMessage());
    }
  }

  private static HostPort hostPort(Settings s, Option option, String text) throws ConfigException {
    HostPort hp;
    try {
      hp = HostPort.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw s.fail(option, e.getMessage());
    }
    if (hp.port() == 0) {
      // Members find each other by address: a kernel-chosen port could not be in anyone's list.
      throw s.fail(option, "give a fixed port (1-65535), got '" + text.trim() + "'");
    }
    return hp;
  }
}
