package io.swarmtee.proxy.config;

import static io.swarmtee.proxy.config.Options.*;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration of the swarmtee server, typed and validated. Build it with {@link
 * #load(List, Map)} (flags, environment, YAML file) or, in tests, with {@link #from(Settings)} over
 * {@link ConfigParser#parse}; {@link #defaults()} is the configuration of a bare start.
 *
 * @param listen where the HTTP server listens
 * @param upstream base URL of the HLS origin; only paths under {@code playbackPrefix} are fetched
 *     from it
 * @param upstreamStatus go-livepeer's {@code /status} URL, used to discover streams
 * @param playbackPrefix path prefix forwarded to the upstream, starts and ends with {@code /}
 * @param h2c whether HTTP/2 over cleartext is accepted
 * @param adminToken bearer token of admin endpoints; empty means admin endpoints answer 403 to
 *     everyone
 * @param archive the archiver's settings
 * @param store where archived bytes go
 * @param timeouts upstream timeouts
 * @param cache origin shield cache settings
 * @param spool upload spool limits
 * @param settings the raw resolved values, for settings not (yet) promoted to a typed component
 */
public record Config(
    HostPort listen,
    URI upstream,
    Optional<URI> upstreamStatus,
    String playbackPrefix,
    boolean h2c,
    Optional<String> adminToken,
    Archive archive,
    Store store,
    Timeouts timeouts,
    Cache cache,
    Spool spool,
    Settings settings) {

  public Config {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(upstreamStatus, "upstreamStatus");
    Objects.requireNonNull(playbackPrefix, "playbackPrefix");
    Objects.requireNonNull(adminToken, "adminToken");
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(spool, "spool");
    Objects.requireNonNull(settings, "settings");
  }

  /**
   * Path prefixes swarmtee serves itself; the playback prefix may not start with one (its route is
   * matched before theirs).
   */
  static final List<String> SERVED_HERE =
      List.of("/api/", "/archive/", "/bytes/", "/ui/", "/health/", "/ready/", "/metrics/");

  /**
   * The archiver's settings.
   *
   * @param enabled archive at all ({@code --archive}, default off)
   * @param streams which stream ids to archive
   * @param gateway base URL written before Swarm paths in archive playlists; empty = root-relative
   * @param allowedHosts hosts besides the upstream's the archiver may fetch segment URIs from,
   *     lower case, each {@code host} or {@code host:port}
   * @param endAfter a stream has ended after this many target durations without a new segment
   * @param restartGrace a stream back within this time continues its session
   * @param swarmRefresh the shortest interval between Swarm copies of a live archive's playlists
   * @param keep how long a finished archive stays in memory before it is read from its journal on
   *     demand
   */
  public record Archive(
      boolean enabled,
      StreamFilter streams,
      Optional<URI> gateway,
      List<String> allowedHosts,
      int endAfter,
      Duration restartGrace,
      Duration swarmRefresh,
      Duration keep) {
    public Archive {
      Objects.requireNonNull(keep, "keep");
      Objects.requireNonNull(streams, "streams");
      Objects.requireNonNull(gateway, "gateway");
      Objects.requireNonNull(restartGrace, "restartGrace");
      Objects.requireNonNull(swarmRefresh, "swarmRefresh");
      allowedHosts = List.copyOf(allowedHosts);
    }
  }

  /**
   * Where archived content is stored.
   *
   * @param bee a Bee node's API URL; empty = the embedded store under {@code data}
   * @param batch postage batch id (64 lower-case hex digits) for uploads to Bee; empty without
   *     {@code --batch} or with {@code --batch auto} (then the wallet's postage manager picks each
   *     batch)
   * @param data directory (exists and is writable) for the spool, embedded store and archive state
   * @param localStamps {@code --stamper local}: swarmtee stamps every chunk with the keystore's key
   *     and uploads chunk by chunk; playlists then go through the upload pipeline as {@code /bytes}
   *     trees (Bee's {@code /bzz} needs a batch the node owns)
   */
  public record Store(Optional<URI> bee, Optional<String> batch, Path data, boolean localStamps) {
    public Store {
      Objects.requireNonNull(bee, "bee");
      Objects.requireNonNull(batch, "batch");
      Objects.requireNonNull(data, "data");
    }
  }

  /**
   * Upstream timeouts.
   *
   * @param connect to establish the TCP connection
   * @param firstByte from sending the request to the response headers
   * @param idle longest silence in the middle of a response body
   * @param viewerIdle longest time a viewer's connection may neither deliver a byte to swarmtee nor
   *     take one (a viewer that stopped reading, an idle keep-alive) before it is closed
   */
  public record Timeouts(Duration connect, Duration firstByte, Duration idle, Duration viewerIdle) {
    public Timeouts {
      Objects.requireNonNull(connect, "connect");
      Objects.requireNonNull(firstByte, "firstByte");
      Objects.requireNonNull(idle, "idle");
      Objects.requireNonNull(viewerIdle, "viewerIdle");
    }
  }

  /**
   * Origin shield cache settings.
   *
   * @param maxBytes memory budget of cached objects (bodies): of the shield's cache and the replay
   *     cache of {@code /bytes} together, split between them by {@link #shieldBytes()} and {@link
   *     #replayBytes()}
   * @param playlistTtl freshness of a playlist; empty = half its {@code #EXT-X-TARGETDURATION}
   * @param staleIfError how long after it went stale a playlist may still be served when the
   *     upstream fails
   * @param negativeTtl how long a 404 is remembered
   */
  public record Cache(
      long maxBytes, Optional<Duration> playlistTtl, Duration staleIfError, Duration negativeTtl) {
    public Cache {
      Objects.requireNonNull(playlistTtl, "playlistTtl");
      Objects.requireNonNull(staleIfError, "staleIfError");
      Objects.requireNonNull(negativeTtl, "negativeTtl");
    }

    /**
     * @return the replay cache's part of {@link #maxBytes()}: a quarter. Replays are archived
     *     segments read once each, while the shield holds every live stream's window; a fixed split
     *     (not one cache for both) keeps the shield's hot path on its own string-keyed cache.
     */
    public long replayBytes() {
      return maxBytes / 4;
    }

    /**
     * @return the shield's part of {@link #maxBytes()}: what {@link #replayBytes()} leaves
     */
    public long shieldBytes() {
      return maxBytes - replayBytes();
    }
  }

  /**
   * Upload spool limits.
   *
   * @param maxBytes disk budget of segments waiting for upload
   * @param maxSegments number of segments waiting for upload
   * @param uploadConcurrency parallel uploads
   */
  public record Spool(long maxBytes, int maxSegments, int uploadConcurrency) {}

  /**
   * Parses and validates the server configuration; creates the data directory if it is missing.
   *
   * @throws ConfigException with a one-line message when anything is wrong
   */
  public static Config load(List<String> args, Map<String, String> env) throws ConfigException {
    return from(ConfigParser.parse(args, env, SERVER));
  }

  /**
   * @return the configuration with every default (data directory not created)
   */
  public static Config defaults() {
    try {
      return from(ConfigParser.parse(List.of(), Map.of(), SERVER), false);
    } catch (ConfigException e) {
      throw new IllegalStateException("the defaults must parse", e);
    }
  }

  /** Types and validates {@code s}; creates and checks the data directory. */
  public static Config from(Settings s) throws ConfigException {
    return from(s, true);
  }

  private static Config from(Settings s, boolean checkData) throws ConfigException {
    HostPort listen;
    try {
      listen = HostPort.parse(s.required(LISTEN));
    } catch (IllegalArgumentException e) {
      throw s.fail(LISTEN, e.getMessage());
    }
    URI upstream = s.url(UPSTREAM).orElseThrow(() -> s.fail(UPSTREAM, "missing"));
    if (upstream.getRawPath() != null
        && !upstream.getRawPath().isEmpty()
        && !upstream.getRawPath().equals("/")) {
      throw s.fail(
          UPSTREAM, "give the origin only (scheme, host, port); paths come from --playback-prefix");
    }
    String prefix = s.required(PLAYBACK_PREFIX);
    if (!prefix.matches("/([A-Za-z0-9._~-]+/)+")) {
      throw s.fail(
          PLAYBACK_PREFIX,
          "expected a path like /stream/ (starts and ends with /), got '" + prefix + "'");
    }
    for (String taken : SERVED_HERE) {
      if (prefix.startsWith(taken)) {
        throw s.fail(
            PLAYBACK_PREFIX,
            "'"
                + prefix
                + "' would hide swarmtee's own "
                + taken
                + " (pick another, e.g. /stream/)");
      }
    }
    Optional<String> token = s.text(ADMIN_TOKEN).filter(t -> !t.isEmpty());
    if (token.isPresent() && token.get().length() < 16) {
      throw s.fail(ADMIN_TOKEN, "too short: use at least 16 characters");
    }

    StreamFilter streams;
    try {
      streams = StreamFilter.parse(s.required(ARCHIVE_STREAMS));
    } catch (IllegalArgumentException e) {
      throw s.fail(ARCHIVE_STREAMS, e.getMessage());
    }
    List<String> hosts =
        s.list(ALLOWED_HOSTS).stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    for (String h : hosts) {
      if (!h.matches("[a-z0-9.-]+(:\\d{1,5})?|\\[[0-9a-f:]+\\](:\\d{1,5})?")) {
        throw s.fail(ALLOWED_HOSTS, "not a host or host:port: '" + h + "'");
      }
    }
    Archive archive =
        new Archive(
            s.bool(ARCHIVE),
            streams,
            s.url(GATEWAY),
            hosts,
            s.integer(END_AFTER, 1, 100),
            s.duration(RESTART_GRACE),
            s.duration(SWARM_REFRESH),
            s.duration(ARCHIVE_KEEP));

    // "auto" is the wallet's managed postage (io.swarmtee.proxy.wallet.WalletConfig): no fixed
    // batch here.
    Optional<String> batch =
        s.text(BATCH)
            .filter(b -> !b.isEmpty())
            .map(b -> b.toLowerCase(Locale.ROOT))
            .filter(b -> !b.equals("auto"));
    if (batch.isPresent()
        && !(batch.get().length() == 64 && batch.get().chars().allMatch(HexFormat::isHexDigit))) {
      throw s.fail(BATCH, "a postage batch id is 64 hex digits, or auto");
    }
    Path data = s.path(DATA);
    if (checkData) {
      checkDataDirectory(s, data);
    }
    String stamper = s.required(STAMPER).trim().toLowerCase(Locale.ROOT);
    if (!stamper.equals("bee") && !stamper.equals("local")) {
      throw s.fail(STAMPER, "expected bee or local, got '" + stamper + "'");
    }
    boolean localStamps = stamper.equals("local");
    if (localStamps
        && (s.url(BEE).isEmpty()
            || s.text(BATCH).filter(b -> !b.isEmpty()).isEmpty()
            || s.text(KEYSTORE).filter(k -> !k.isEmpty()).isEmpty())) {
      throw s.fail(
          STAMPER, "local stamps need --bee, --batch (a batch the key owns) and --keystore");
    }
    Store store = new Store(s.url(BEE), batch, data, localStamps);

    Timeouts timeouts =
        new Timeouts(
            positive(s, CONNECT_TIMEOUT),
            positive(s, FIRST_BYTE_TIMEOUT),
            positive(s, IDLE_TIMEOUT),
            positive(s, VIEWER_IDLE_TIMEOUT));
    Optional<Duration> ttl =
        s.required(PLAYLIST_TTL).equals("auto")
            ? Optional.empty()
            : Optional.of(positive(s, PLAYLIST_TTL));
    Cache cache =
        new Cache(
            s.bytes(SEGMENT_CACHE_BYTES),
            ttl,
            s.duration(STALE_IF_ERROR),
            s.duration(NEGATIVE_TTL));
    Spool spool =
        new Spool(
            s.bytes(SPOOL_MAX_BYTES),
            s.integer(SPOOL_MAX_SEGMENTS, 1, Integer.MAX_VALUE),
            s.integer(UPLOAD_CONCURRENCY, 1, 256));

    return new Config(
        listen,
        upstream,
        s.url(UPSTREAM_STATUS),
        prefix,
        s.bool(H2C),
        token,
        archive,
        store,
        timeouts,
        cache,
        spool,
        s);
  }

  private static Duration positive(Settings s, Option option) throws ConfigException {
    Duration d = s.duration(option);
    if (d.isZero()) {
      throw s.fail(option, "must be more than zero");
    }
    return d;
  }

  /** Creates {@code data} if missing; fails unless it is a readable, writable directory. */
  public static void checkDataDirectory(Settings s, Path data) throws ConfigException {
    try {
      Files.createDirectories(data);
    } catch (IOException | SecurityException e) {
      throw s.fail(DATA, "cannot create data directory " + data + ": " + e);
    }
    if (!Files.isDirectory(data)
        || !Files.isReadable(data)
        || !Files.isWritable(data)
        || !Files.isExecutable(data)) {
      throw s.fail(DATA, "data directory " + data + " is not a readable and writable directory");
    }
  }
}
