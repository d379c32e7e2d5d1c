package io.swarmtee.tee.bee.fake;

import static io.swarmtee.tee.bee.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The spec validation inside FakeBee is not a no-op: requests and responses that break Bee's spec
 * are caught.
 */
@ExtendWith(VertxExtension.class)
class SpecValidationTest {

  private FakeBee fake;
  private WebClient raw;
  private String batch;

  @BeforeEach
  void start(Vertx vertx) {
    fake = result(FakeBee.start(vertx));
    batch = fake.createBatch(20, true).hex();
    raw = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    raw.close();
    result(fake.close());
  }

  private HttpResponse<Buffer> postBytes(MultiMap headers) {
    return result(
        raw.postAbs(fake.baseUrl() + "/bytes")
            .putHeaders(headers)
            .putHeader("Content-Type", "application/octet-stream")
            .sendBuffer(Buffer.buffer("data")));
  }

  @Test
  void aConformingRequestPasses() {
    HttpResponse<Buffer> ok =
        postBytes(
            MultiMap.caseInsensitiveMultiMap()
                .add("swarm-postage-batch-id", batch)
                .add("swarm-redundancy-level", "0"));
    assertEquals(201, ok.statusCode());
    assertEquals(List.of(), fake.violations());
  }

  @Test
  void aRequestOutsideTheSpecIsRejectedAndRecorded() {
    record Bad(String what, MultiMap headers) {}
    for (Bad bad :
        List.of(
            new Bad(
                "redundancy level 7 (spec: 0..4)",
                MultiMap.caseInsensitiveMultiMap()
                    .add("swarm-postage-batch-id", batch)
                    .add("swarm-redundancy-level", "7")),
            new Bad(
                "malformed batch id",
                MultiMap.caseInsensitiveMultiMap()
                    .add("swarm-postage-batch-id", "not-hex")
                    .add("swarm-redundancy-level", "0")),
            new Bad(
                "no batch id (required)",
                MultiMap.caseInsensitiveMultiMap().add("swarm-redundancy-level", "0")),
            new Bad(
                "pin is not a boolean",
                MultiMap.caseInsensitiveMultiMap()
                    .add("swarm-postage-batch-id", batch)
                    .add("swarm-redundancy-level", "0")
                    .add("swarm-pin", "maybe")))) {
      HttpResponse<Buffer> r = postBytes(bad.headers);
      assertEquals(400, r.statusCode(), bad.what);
      JsonObject body = r.bodyAsJsonObject();
      assertEquals(400, body.getInteger("code"), bad.what);
      List<String> v = fake.takeViolations();
      assertEquals(1, v.size(), bad.what + ": " + v);
      assertTrue(v.get(0).startsWith("request POST /bytes"), v.get(0));
    }
    assertEquals(0, fake.swarm().chunkCount(), "nothing was stored");
  }

  @Test
  void anUploadWithoutExplicitRedundancyLevelIsAViolation() {
    HttpResponse<Buffer> r =
        postBytes(MultiMap.caseInsensitiveMultiMap().add("swarm-postage-batch-id", batch));
    assertEquals(201, r.statusCode(), "the spec allows it, Bee v2.8.1 would answer");
    List<String> v = fake.takeViolations();
    assertEquals(1, v.size(), v.toString());
    assertTrue(v.get(0).contains("swarm-redundancy-level"), v.get(0));
  }

  @Test
  void anUnknownEndpointIsAViolation() {
    HttpResponse<Buffer> r = result(raw.getAbs(fake.baseUrl() + "/bytez/abc").send());
    assertEquals(404, r.statusCode());
    assertEquals(1, fake.takeViolations().size());
  }

  @Test
  void aResponseOutsideTheSpecIsRecorded(Vertx vertx) {
    SpecValidator spec = result(SpecValidator.create(vertx));
    MultiMap json =
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json; charset=utf-8");

    result(
        spec.validateResponse(
            "POST /bytes",
            false,
            201,
            json,
            new JsonObject().put("reference", "ab".repeat(32)).toBuffer()));
    assertEquals(List.of(), spec.violations(), "a well-formed answer passes");

    result(
        spec.validateResponse(
            "POST /bytes",
            false,
            201,
            json,
            new JsonObject().put("reference", "not a reference").toBuffer()));
    result(
        spec.validateResponse(
            "GET /chainstate",
            false,
            200,
            json,
            new JsonObject().put("block", "twenty").put("currentPrice", "24000").toBuffer()));
    result(
        spec.validateResponse(
            "GET /health", false, 200, json, new JsonObject().put("status", "fine").toBuffer()));
    result(
        spec.validateResponse(
            "GET /feeds/{owner}/{topic}",
            false,
            200,
            MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "application/octet-stream")
                .add("swarm-feed-index", "not hex"),
            Buffer.buffer("x")));
    assertEquals(4, spec.violations().size(), spec.violations().toString());
  }
}
