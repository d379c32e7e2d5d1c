package io.swarmtee.proxy.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The build put the npm-pinned hls.js next to the page on the classpath. */
class WebAssetsTest {

  private static byte[] resource(String name) throws IOException {
    try (InputStream in =
        WebAssetsTest.class.getClassLoader().getResourceAsStream("webroot/" + name)) {
      assertNotNull(in, "webroot/" + name + " is not on the classpath");
      return in.readAllBytes();
    }
  }

  @Test
  void hlsJsIsBundledAtThePinnedVersionWithItsLicence() throws IOException {
    JsonObject lock = new JsonObject(Files.readString(Path.of("../tools/js/package-lock.json")));
    String pinned =
        lock.getJsonObject("packages").getJsonObject("node_modules/hls.js").getString("version");
    JsonObject pkg = new JsonObject(Files.readString(Path.of("../tools/js/package.json")));
    assertEquals(
        pinned,
        pkg.getJsonObject("dependencies").getString("hls.js"),
        "package.json pins an exact version");

    assertEquals(pinned, new String(resource("hls.js.version"), StandardCharsets.US_ASCII).trim());
    byte[] hls = resource("hls.min.js");
    assertTrue(hls.length > 100_000, "a whole hls.js build, got " + hls.length + " bytes");
    String text = new String(hls, StandardCharsets.UTF_8);
    assertTrue(
        text.contains("isSupported") && text.contains("MANIFEST_PARSED"), "hls.js's API is in it");
    assertTrue(
        new String(resource("hls.js.LICENSE.txt"), StandardCharsets.UTF_8)
            .contains("Apache License"));
  }

  @Test
  void everyPageFileLoadsWithAContentType() {
    WebAssets assets = WebAssets.load(WebAssetsTest.class.getClassLoader());
    for (String name : WebAssets.FILES) {
      if (!name.equals("index.html")) {
        WebAssets.Asset a = assets.asset(name).orElseThrow();
        assertFalse(a.contentType().isEmpty(), name);
        assertTrue(a.body().length() > 0, name);
      }
    }
    assertEquals(
        "text/javascript; charset=utf-8", assets.asset("app.js").orElseThrow().contentType());
  }
}
