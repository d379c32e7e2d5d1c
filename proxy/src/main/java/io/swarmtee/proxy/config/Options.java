package io.swarmtee.proxy.config;

import java.util.List;
import java.util.stream.Stream;

/**
 * The settings swarmtee understands, per subcommand. To add a setting: add an {@link Option} here
 * (it becomes a flag, an environment variable and a YAML key at once), read it in {@link
 * Config#from} into a record component, and add a row to the README's Configuration table.
 */
public final class Options {

  private Options() {}

  /**
   * {@code --config file.yaml}: read by the parser itself, listed so that {@code --help} shows it.
   */
  public static final Option CONFIG =
      Option.optional("config", "YAML file whose keys are these flag names");

  public static final Option LISTEN =
      Option.of("listen", "0.0.0.0:8080", "host:port to serve viewers and the API on");
  public static final Option UPSTREAM =
      Option.of(
          "upstream",
          "http://127.0.0.1:9935",
          "base URL of the HLS origin (go-livepeer's gateway)");
  public static final Option UPSTREAM_STATUS =
      Option.optional(
          "upstream-status", "URL of go-livepeer's /status, to discover streams to archive");
  public static final Option PLAYBACK_PREFIX =
      Option.of(
          "playback-prefix",
          "/stream/",
          "path prefix forwarded to the upstream; nothing else reaches it");
  public static final Option H2C =
      Option.flag("h2c", "also accept HTTP/2 over cleartext (h2c upgrade and prior knowledge)");
  public static final Option ADMIN_TOKEN =
      Option.optional(
          "admin-token",
          "bearer token for admin endpoints; without it they refuse everything (403)");

  public static final Option ARCHIVE =
      Option.flag("archive", "archive streams to Swarm (default off)");
  public static final Option ARCHIVE_STREAMS =
      Option.of("archive-streams", "*", "stream ids to archive: a glob (live-*) or a /regex/");
  public static final Option GATEWAY =
      Option.optional(
          "gateway",
          "base URL written before Swarm paths in archive playlists (default: root-relative)");
  public static final Option ALLOWED_HOSTS =
      Option.of(
          "allowed-hosts",
          "",
          "comma-separated extra hosts (object stores) the archiver may fetch segments from");
  public static final Option END_AFTER =
      Option.of(
          "end-after",
          "3",
          "a stream has ended when no new segment came for this many target durations (1-100)");
  public static final Option RESTART_GRACE =
      Option.of(
          "restart-grace",
          "60s",
          "a stream back within this time continues its archive after a DISCONTINUITY; later, a new session");
  public static final Option LOG_FORMAT =
      Option.of(
          "log-format",
          "text",
          "text (one line per event) or json (one JSON object per line, for log pipelines)");
  public static final Option LOG_LEVEL =
      Option.of("log-level", "info", "least severe level logged: error, warn, info, debug, trace");
  public static final Option ARCHIVE_KEEP =
      Option.of(
          "archive-keep",
          "10m",
          "a finished archive (no longer polled) stays in memory this long; later it is read back from its journal when asked for");
  public static final Option SWARM_REFRESH =
      Option.of(
          "swarm-refresh",
          "30s",
          "while live, the Swarm copy of the archive playlists is refreshed at most this often");

  public static final Option BEE =
      Option.optional("bee", "URL of a Bee node; without it the embedded store in --data is used");
  public static final Option BATCH =
      Option.optional(
          "batch",
          "postage batch for uploads to Bee: a batch id (64 hex digits), or auto to let swarmtee manage batches");
  public static final Option STAMPER =
      Option.of(
          "stamper",
          "bee",
          "who stamps archived chunks: bee (the node, with its own batch) or local (swarmtee signs every chunk with --keystore's key; the batch must be owned by that key, not by the node)");
  public static final Option DATA =
      Option.of(
          "data", "./swarmtee-data", "directory for the spool, embedded store and archive state");

  public static final Option CONNECT_TIMEOUT =
      Option.of("connect-timeout", "5s", "upstream connect timeout");
  public static final Option FIRST_BYTE_TIMEOUT =
      Option.of("first-byte-timeout", "10s", "upstream time to response headers");
  public static final Option IDLE_TIMEOUT =
      Option.of("idle-timeout", "10s", "upstream silence allowed mid-body");
  public static final Option VIEWER_IDLE_TIMEOUT =
      Option.of(
          "viewer-idle-timeout",
          "60s",
          "a viewer connection on which nothing was read or written for this long is closed");

  public static final Option SEGMENT_CACHE_BYTES =
      Option.of(
          "segment-cache-bytes",
          "256MiB",
          "memory budget of the object cache (segments, playlists) and the replay cache (/bytes) together: 3/4 and 1/4");
  public static final Option PLAYLIST_TTL =
      Option.of(
          "playlist-ttl", "auto", "how long a playlist is fresh; auto = half its target duration");
  public static final Option STALE_IF_ERROR =
      Option.of(
          "stale-if-error",
          "30s",
          "how long past freshness a playlist is served when the upstream fails");
  public static final Option NEGATIVE_TTL =
      Option.of("negative-ttl", "1s", "how long a 404 is cached");

  public static final Option SPOOL_MAX_BYTES =
      Option.of("spool-max-bytes", "1GiB", "disk budget of the upload spool");
  public static final Option SPOOL_MAX_SEGMENTS =
      Option.of("spool-max-segments", "10000", "segments the upload spool may hold");
  public static final Option UPLOAD_CONCURRENCY =
      Option.of("upload-concurrency", "4", "parallel uploads to Bee");

  // The wallet (io.swarmtee.proxy.wallet): identity, postage management, chain reads.
  public static final Option KEYSTORE =
      Option.optional(
          "keystore",
          "V3 keystore file or directory (e.g. go-livepeer's keystore) of the identity that signs archive feeds");
  public static final Option ETH_ADDRESS =
      Option.optional("eth-address", "account to use when --keystore holds several");
  public static final Option PASSWORD_FILE =
      Option.optional("password-file", "file holding the keystore password");
  public static final Option BATCH_DEPTH =
      Option.of("batch-depth", "22", "depth of batches --batch auto buys (22 = 7.6 GB)");
  public static final Option BATCH_TTL =
      Option.of("batch-ttl", "720h", "TTL --batch auto buys and tops up to");
  public static final Option BATCH_MIN_TTL =
      Option.of("batch-min-ttl", "168h", "--batch auto tops up a batch whose TTL falls below this");
  public static final Option BATCH_MAX_UTILIZATION =
      Option.of(
          "batch-max-utilization",
          "0.9",
          "never stamp with a batch this full (0..1]; --batch auto dilutes or switches before");
  public static final Option MAX_SPEND =
      Option.optional(
          "max-spend",
          "hard cap on postage purchases and top-ups, persisted in --data: PLUR, or xBZZ as 5xBZZ (needed by --batch auto)");
  public static final Option CHAIN_BLOCK_SECONDS =
      Option.of(
          "chain-block-seconds",
          "5",
          "seconds per block of the postage contract's chain (5 on Gnosis): --batch auto and estimates turn TTLs into blocks with it");
  public static final Option GNOSIS_RPC =
      Option.optional(
          "gnosis-rpc",
          "Gnosis JSON-RPC URL for the identity's xDAI and xBZZ balances and the postage price (read-only)");
  public static final Option POSTAGE_BUYER =
      Option.of(
          "postage-buyer",
          "bee",
          "who pays for batches: bee (Bee's own wallet, POST /stamps) or chain (the --keystore identity sends its own transactions through --gnosis-rpc)");
  public static final Option POSTAGE_STAMP_ADDRESS =
      Option.optional(
          "postage-stamp-address",
          "Swarm's PostageStamp contract (default: Gnosis mainnet's); for test chains");
  public static final Option BZZ_TOKEN_ADDRESS =
      Option.optional(
          "bzz-token-address", "the BZZ ERC-20 token (default: xBZZ on Gnosis); for test chains");
  public static final Option CHAIN_CONFIRMATIONS =
      Option.of(
          "chain-confirmations",
          "1",
          "blocks that must hold a postage transaction of --postage-buyer chain, its own included");
  // Cluster mode (io.swarmtee.proxy.cluster): N replicas behave as one swarmtee.
  public static final Option CLUSTER_LISTEN =
      Option.optional(
          "cluster-listen",
          "host:port this member listens on for the cluster (Hazelcast); turns cluster mode on");
  public static final Option CLUSTER_MEMBERS =
      Option.of(
          "cluster-members",
          "",
          "comma-separated host:port of cluster members to join over TCP (may include this one)");
  public static final Option CLUSTER_KUBERNETES_SERVICE =
      Option.optional(
          "cluster-kubernetes-service",
          "headless Kubernetes Service whose DNS records list the members (instead of --cluster-members)");
  public static final Option CLUSTER_NAME =
      Option.of("cluster-name", "swarmtee", "name that keeps separate clusters apart");

  public static final Option BITRATE =
      Option.optional("bitrate", "archive bitrate in bits per second");
  public static final Option HOURS = Option.optional("hours", "hours of video");
  public static final Option PRICE =
      Option.optional(
          "price",
          "postage price in PLUR per chunk per block (default: ask --bee, else --gnosis-rpc)");
  public static final Option SEGMENT_DURATION =
      Option.of("segment-duration", "2s", "duration of one archived segment");

  public static final Option WEBHOOK_URL =
      Option.repeatable(
          "webhook-url", "URL every archive event is POSTed to (repeatable; a YAML list)");
  public static final Option WEBHOOK_SECRET_FILE =
      Option.optional(
          "webhook-secret-file", "file holding the secret that signs webhook bodies (HMAC-SHA256)");
  public static final Option STEWARD_INTERVAL =
      Option.of(
          "steward-interval",
          "6h",
          "with --bee, how often every finalised archive's references are checked; 0 = off");

  /** Everything the server (no subcommand) accepts. */
  public static final List<Option> SERVER =
      List.of(
          CONFIG,
          LISTEN,
          UPSTREAM,
          UPSTREAM_STATUS,
          PLAYBACK_PREFIX,
          H2C,
          ADMIN_TOKEN,
          ARCHIVE,
          ARCHIVE_STREAMS,
          GATEWAY,
          ALLOWED_HOSTS,
          END_AFTER,
          RESTART_GRACE,
          ARCHIVE_KEEP,
          LOG_FORMAT,
          LOG_LEVEL,
          SWARM_REFRESH,
          BEE,
          BATCH,
          STAMPER,
          DATA,
          CONNECT_TIMEOUT,
          FIRST_BYTE_TIMEOUT,
          IDLE_TIMEOUT,
          VIEWER_IDLE_TIMEOUT,
          SEGMENT_CACHE_BYTES,
          PLAYLIST_TTL,
          STALE_IF_ERROR,
          NEGATIVE_TTL,
          SPOOL_MAX_BYTES,
          SPOOL_MAX_SEGMENTS,
          UPLOAD_CONCURRENCY,
          KEYSTORE,
          ETH_ADDRESS,
          PASSWORD_FILE,
          BATCH_DEPTH,
          BATCH_TTL,
          BATCH_MIN_TTL,
          BATCH_MAX_UTILIZATION,
          MAX_SPEND,
          CHAIN_BLOCK_SECONDS,
          GNOSIS_RPC,
          POSTAGE_BUYER,
          POSTAGE_STAMP_ADDRESS,
          BZZ_TOKEN_ADDRESS,
          CHAIN_CONFIRMATIONS,
          CLUSTER_LISTEN,
          CLUSTER_MEMBERS,
          CLUSTER_KUBERNETES_SERVICE,
          CLUSTER_NAME,
          WEBHOOK_URL,
          WEBHOOK_SECRET_FILE,
          STEWARD_INTERVAL);

  /** {@code swarmtee wallet new}: create a keystore. */
  public static final List<Option> WALLET_NEW = List.of(CONFIG, KEYSTORE, PASSWORD_FILE);

  /** {@code swarmtee postage estimate}: what archiving video costs. */
  public static final List<Option> POSTAGE_ESTIMATE =
      List.of(
          CONFIG,
          BITRATE,
          HOURS,
          BATCH_TTL,
          SEGMENT_DURATION,
          PRICE,
          BEE,
          GNOSIS_RPC,
          CHAIN_BLOCK_SECONDS);

  /** {@code swarmtee sync}: push what the embedded store holds to a Bee node. */
  public static final List<Option> SYNC = List.of(CONFIG, DATA, BEE, BATCH, UPLOAD_CONCURRENCY);

  /**
   * @return {@code base} followed by {@code more}, for subcommands that extend a list
   */
  public static List<Option> concat(List<Option> base, Option... more) {
    return Stream.concat(base.stream(), Stream.of(more)).toList();
  }
}
