package io.swarmtee.proxy.web;

import io.swarmtee.proxy.http.AcceptEncoding;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * The web page's static files, read once from the classpath folder {@code webroot/} into memory (a
 * few hundred KiB; nothing is extracted to disk, so a read-only container works). {@code
 * index.html} is served at {@code /}, the rest under {@code /ui/}. index.html refers to each asset
 * with {@code ?v=<content hash>}: such a request is cached for a year ({@code immutable}), anything
 * else is revalidated with its ETag. Text assets are also kept gzip'ed and sent so when the client
 * accepts it.
 */
final class WebAssets {

  /**
   * Same-origin scripts only (no inline script, no eval); media from MSE blobs; hls.js runs its
   * transmuxer in a worker created from a blob URL; the API and the playlists are same-origin.
   */
  static final String CONTENT_SECURITY_POLICY =
      String.join(
          "; ",
          "default-src 'none'",
          "script-src 'self'",
          "style-src 'self'",
          "img-src 'self'",
          "media-src 'self' blob:",
          "worker-src 'self' blob:",
          "connect-src 'self'",
          "base-uri 'none'",
          "form-action 'none'",
          "frame-ancestors 'none'");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "txt", "text/plain; charset=utf-8");

  /** The files of {@code webroot/}; a missing one fails start-up. */
  static final java.util.List<String> FILES =
      java.util.List.of(
          "index.html", "app.js", "style.css", "favicon.svg", "hls.min.js", "hls.js.LICENSE.txt");

  /**
   * One file, ready to send; {@code etag} without quotes, {@code version} the short hash in {@code
   * ?v=}.
   */
  record Asset(
      String name, String contentType, Buffer body, Buffer gzipped, String etag, String version) {
    Asset {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(gzipped, "gzipped");
      Objects.requireNonNull(etag, "etag");
      Objects.requireNonNull(version, "version");
    }
  }

  private final Map<String, Asset> assets;
  private final Asset index;

  private WebAssets(Map<String, Asset> assets, Asset index) {
    this.assets = Map.copyOf(assets);
    this.index = index;
  }

  /**
   * Reads {@code webroot/} from {@code loader}.
   *
   * @throws IllegalStateException if a file is missing (a build that skipped {@code
   *     generate-resources})
   */
  static WebAssets load(ClassLoader loader) {
    Map<String, Asset> assets = new LinkedHashMap<>();
    for (String name : FILES) {
      if (!name.equals("index.html")) {
        assets.put(name, asset(name, read(loader, name)));
      }
    }
    // Versioned URLs: index.html names each asset as /ui/<name>; the version makes it cacheable for
    // ever.
    String html = new String(read(loader, "index.html"), StandardCharsets.UTF_8);
    for (Asset a : assets.values()) {
      html =
          html.replace(
              "\"/ui/" + a.name() + "\"", "\"/ui/" + a.name() + "?v=" + a.version() + "\"");
    }
    return new WebAssets(assets, asset("index.html", html.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * @return the asset called {@code name} (as under {@code /ui/})
   */
  Optional<Asset> asset(String name) {
    return Optional.ofNullable(assets.get(name));
  }

  /** Answers {@code GET /} and {@code HEAD /}. */
  void index(RoutingContext ctx) {
    send(ctx.request(), index, "no-cache");
  }

  /** Answers {@code GET /ui/<name>}; unknown names go on to the 404 handler. */
  void ui(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Asset a = assets.get(name);
    if (a == null) {
      ctx.next();
      return;
    }
    boolean versioned = a.version().equals(ctx.request().getParam("v"));
    send(ctx.request(), a, versioned ? "public, max-age=31536000, immutable" : "no-cache");
  }

  private static void send(HttpServerRequest request, Asset a, String cacheControl) {
    boolean gzip =
        AcceptEncoding.gzip(request.getHeader(HttpHeaders.ACCEPT_ENCODING))
            && a.gzipped().length() < a.body().length();
    String etag = "\"" + a.etag() + (gzip ? "-gz" : "") + "\"";
    HttpServerResponse response =
        request
            .response()
            .putHeader(HttpHeaders.CONTENT_TYPE, a.contentType())
            .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
            .putHeader(HttpHeaders.ETAG, etag)
            .putHeader(HttpHeaders.VARY, "Accept-Encoding")
            .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            .putHeader("X-Content-Type-Options", "nosniff")
            .putHeader("Referrer-Policy", "no-referrer")
            .putHeader("X-Frame-Options", "DENY");
    if (etag.equals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
      response.setStatusCode(304).end();
      return;
    }
    Buffer body = gzip ? a.gzipped() : a.body();
    if (gzip) {
      response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
    }
    if (request.method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length())).end();
    } else {
      response.end(body);
    }
  }

  private static Asset asset(String name, byte[] bytes) {
    String ext = name.substring(name.lastIndexOf('.') + 1);
    String type = Objects.requireNonNull(TYPES.get(ext), () -> "no content type for " + name);
    String hash = sha256(bytes);
    return new Asset(
        name,
        type,
        Buffer.buffer(bytes),
        Buffer.buffer(gzip(bytes)),
        hash.substring(0, 32),
        hash.substring(0, 12));
  }

  private static byte[] read(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream("webroot/" + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "webroot/"
                + name
                + " is not on the classpath (built without the proxy "
                + "module's generate-resources phase?)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read webroot/" + name, e);
    }
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
