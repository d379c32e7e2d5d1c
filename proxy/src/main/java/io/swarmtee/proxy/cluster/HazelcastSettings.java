package io.swarmtee.proxy.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.swarmtee.proxy.config.HostPort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

/**
 * The embedded Hazelcast member's configuration, built in code: no {@code hazelcast.xml} or {@code
 * default-cluster.xml} found on the classpath or in the working directory is ever read, nothing is
 * discovered by multicast or auto-detection, nothing phones home.
 */
final class HazelcastSettings {

  /** The Hazelcast map holding one {@link LeaseEntry} per stream. */
  static final String LEASES_MAP = "swarmtee.leases";

  /** The shared archive journals: stream id → {@link JournalLog}. */
  static final String JOURNALS_MAP = "swarmtee.journals";

  /**
   * Each stream's next feed index and the grant that last advanced it ({@link ClusterFeedIndexes}).
   */
  static final String FEEDS_MAP = "swarmtee.feeds";

  /** The clips published of each stream: stream id → JSON list ({@link ClusterClips}). */
  static final String CLIPS_MAP = "swarmtee.clips";

  /** The webhook facts queued: fact → the member that queued it ({@link ClusterWebhookLedger}). */
  static final String WEBHOOKS_MAP = "swarmtee.webhooks";

  /** Each stream's unrepairable references, as its steward last found them. */
  static final String FINDINGS_MAP = "swarmtee.unretrievable";

  /**
   * Member attribute: swarmtee's member id. Not Hazelcast's member UUID: Hazelcast resets that when
   * the member merges after a split ("Resetting local member UUID"), while lease owners and
   * rendezvous hashing need one identity for the life of the process.
   */
  static final String ID_ATTRIBUTE = "swarmtee.id";

  /** Member attribute: when the member started (ISO-8601). */
  static final String SINCE_ATTRIBUTE = "swarmtee.since";

  /**
   * Heartbeats every second, a member silent for 5 s is removed: a kill -9'd or SIGSTOP'd member
   * leaves the member list ~5 s later (Hazelcast's defaults, 5 s / 60 s, suit WANs, not pods on one
   * network). Long enough that a young-generation GC pause (tens of ms) never evicts anyone.
   */
  static final int HEARTBEAT_SECONDS = 1;

  static final int MAX_NO_HEARTBEAT_SECONDS = 5;

  /**
   * After a split the sides look for each other after 10 s, then every 10 s, and merge (defaults
   * 300 s / 120 s): a healed partition becomes one cluster again within seconds.
   */
  static final int MERGE_DELAY_SECONDS = 10;

  private HazelcastSettings() {}

  static Config build(ClusterConfig cluster, String id, Instant since) {
    return build(cluster, id, since, MERGE_DELAY_SECONDS);
  }

  /**
   * @param mergeDelaySeconds how long after start, and then how often, a member looks for other
   *     clusters of its name to merge with (tests of a split use a longer delay to grant leases on
   *     both sides first)
   */
  static Config build(ClusterConfig cluster, String id, Instant since, int mergeDelaySeconds) {
    HostPort listen = cluster.listen().orElseThrow();
    Config c = new Config();
    c.setClusterName(cluster.name());
    c.setProperty("hazelcast.logging.type", "slf4j");
    c.setProperty("hazelcast.phone.home.enabled", "false");
    // Main's shutdown hook releases the leases first, then closes Vert.x, which leaves the cluster.
    c.setProperty("hazelcast.shutdownhook.enabled", "false");
    c.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(HEARTBEAT_SECONDS));
    c.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(MAX_NO_HEARTBEAT_SECONDS));
    c.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(mergeDelaySeconds));
    c.setProperty("hazelcast.merge.next.run.delay.seconds", String.valueOf(mergeDelaySeconds));
    // A member that finds nobody waits this long for others before forming a cluster of its own
    // (default 5 s, up to 20 s): 1 s keeps start-up fast, the merge above joins late finders.
    c.setProperty("hazelcast.wait.seconds.before.join", "1");
    c.setProperty("hazelcast.max.wait.seconds.before.join", "3");
    c.getMemberAttributeConfig().setAttribute(ID_ATTRIBUTE, id);
    c.getMemberAttributeConfig().setAttribute(SINCE_ATTRIBUTE, since.toString());

    NetworkConfig network = c.getNetworkConfig();
    network.setPort(listen.port()).setPortAutoIncrement(false).setPortCount(1);
    if (!wildcard(listen.host())) {
      String ip = ip(listen.host());
      network.getInterfaces().setEnabled(true).addInterface(ip);
      c.setProperty("hazelcast.socket.bind.any", "false"); // that interface only
    }
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    if (cluster.kubernetesService().isPresent()) {
      // DNS mode: resolves the headless Service's A records; needs no Kubernetes API access.
      join.getKubernetesConfig()
          .setEnabled(true)
          .setProperty("service-dns", cluster.kubernetesService().get())
          .setProperty("service-port", String.valueOf(listen.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
      cluster.members().forEach(m -> join.getTcpIpConfig().addMember(m.toString()));
    }

    // Vert.x's own structures (as its default-cluster.xml has them).
    c.addMultiMapConfig(
        new MultiMapConfig("__vertx.subs")
            .setBackupCount(1)
            .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    c.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    c.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    MapConfig leases = new MapConfig(LEASES_MAP).setBackupCount(1);
    leases.getMergePolicyConfig().setPolicy(HigherEpochMergePolicy.class.getName());
    c.addMapConfig(leases);
    // OBJECT: an append mutates the stored log in place (and the same append runs on the backup),
    // instead of deserialising and serialising the whole journal for every event.
    MapConfig journals =
        new MapConfig(JOURNALS_MAP).setBackupCount(1).setInMemoryFormat(InMemoryFormat.OBJECT);
    journals.getMergePolicyConfig().setPolicy(JournalMergePolicy.class.getName());
    c.addMapConfig(journals);
    MapConfig feeds = new MapConfig(FEEDS_MAP).setBackupCount(1);
    feeds.getMergePolicyConfig().setPolicy(FeedIndexMergePolicy.class.getName());
    c.addMapConfig(feeds);
    MapConfig clips = new MapConfig(CLIPS_MAP).setBackupCount(1);
    clips.getMergePolicyConfig().setPolicy(ClipsMergePolicy.class.getName());
    c.addMapConfig(clips);
    c.addMapConfig(new MapConfig(WEBHOOKS_MAP).setBackupCount(1));
    c.addMapConfig(new MapConfig(FINDINGS_MAP).setBackupCount(1));
    return c;
  }

  private static boolean wildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
  }

  private static String ip(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      // ClusterConfig resolved it already; only a DNS change in between gets here.
      throw new IllegalArgumentException("--cluster-listen: unknown host " + host, e);
    }
  }
}
