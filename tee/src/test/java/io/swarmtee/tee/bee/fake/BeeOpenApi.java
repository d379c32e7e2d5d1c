package io.swarmtee.tee.bee.fake;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Loads Bee's own OpenAPI spec (v2.8.1, both files copied verbatim into {@code
 * src/test/resources/bee-openapi/v2.8.1/}) as one vertx-openapi contract.
 *
 * <p>Form: {@code SwarmCommon.yaml}'s {@code components} become the components of {@code
 * Swarm.yaml} (which has none) and every {@code SwarmCommon.yaml#/…} ref becomes {@code #/…}.
 * vertx-json-schema 5.0.7 resolves refs into a second file by re-resolving that whole file at every
 * ref, which never ends (StackOverflowError); one self-contained document has the same meaning.
 *
 * <p>Content: the smallest set of repairs that makes the spec usable; each is a defect of the
 * published spec, listed so nobody mistakes it for loosening:
 *
 * <ol>
 *   <li>No operation has an {@code operationId}; vertx-openapi needs one. Each gets {@code "METHOD
 *       /path"}, e.g. {@code "POST /bytes"} ({@link #operationId}).
 *   <li>Some inline parameters use a <em>parameter</em> object as their {@code schema} ({@code
 *       schema: $ref: SwarmCommon.yaml#/components/parameters/SwarmPostageBatchId}): the ref is
 *       replaced by that parameter's own schema.
 *   <li>Error responses declare {@code application/problem+json}, but Bee's {@code jsonhttp} writes
 *       {@code application/json; charset=utf-8} (and vertx-openapi does not support the former):
 *       the schema is declared under {@code application/json} instead.
 *   <li>{@code POST /bzz} also accepts {@code application/x-tar}, a media type vertx-openapi does
 *       not support; swarmtee never uploads tar collections, so that alternative is dropped.
 *   <li>Two server URLs with different base paths ({@code /v1} and none) and server variables are
 *       not supported by vertx-openapi; the one without a prefix (what Bee serves and the client
 *       uses) is kept with its variables replaced by their defaults ({@code
 *       http://localhost:1633}).
 *   <li>Parameters whose schema is a {@code oneOf} of strings without {@code type} (the {@code
 *       address} of {@code /bytes/{address}}: {@code SwarmReference}) are rejected by
 *       vertx-openapi, which needs a type to parse a parameter: they get {@code type: string} with
 *       the original schema under {@code allOf}, which means the same.
 *   <li>{@code LoggerTreeNode} and {@code LoggerTreeData} refer to each other and vertx-json-schema
 *       inlines refs while resolving, so the cycle never ends: they and the {@code /loggers}
 *       endpoints that alone use them are dropped (swarmtee does not call them).
 * </ol>
 */
public final class BeeOpenApi {

  static final String DIR = "bee-openapi/v2.8.1/";
  static final String MAIN = "Swarm.yaml";
  static final String COMMON = "SwarmCommon.yaml";
  private static final List<String> METHODS =
      List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private BeeOpenApi() {}

  /**
   * @return the repaired, self-contained contract, validated by vertx-openapi
   */
  public static Future<OpenAPIContract> load(Vertx vertx) {
    return OpenAPIContract.from(vertx, document(), Map.of());
  }

  /**
   * @return the repaired, self-contained spec as JSON
   */
  public static JsonObject document() {
    JsonObject main = read(MAIN);
    JsonObject common = read(COMMON);
    JsonObject components = common.getJsonObject("components");
    dropLoggers(main, components);
    main.put("components", components);
    addOperationIds(main);
    keepServerWithoutPrefix(main);
    walk(main, components);
    return main;
  }

  /**
   * @return the operation id this class gives {@code method} on the spec path {@code specPath}
   */
  public static String operationId(String method, String specPath) {
    return method.toUpperCase(Locale.ROOT) + " " + specPath;
  }

  static JsonObject read(String name) {
    try (InputStream in = BeeOpenApi.class.getClassLoader().getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + DIR + name);
      }
      Map<String, Object> yaml = new Yaml(new LoaderOptions()).load(in);
      return new JsonObject(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void dropLoggers(JsonObject main, JsonObject components) {
    JsonObject paths = main.getJsonObject("paths");
    for (String path : new ArrayList<>(paths.fieldNames())) {
      if (path.startsWith("/loggers")) {
        paths.remove(path);
      }
    }
    JsonObject schemas = components.getJsonObject("schemas");
    schemas.remove("LoggerTreeNode");
    schemas.remove("LoggerTreeData");
    schemas.remove("LoggerResponse");
  }

  private static void addOperationIds(JsonObject main) {
    JsonObject paths = main.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : METHODS) {
        JsonObject op = item.getJsonObject(method);
        if (op != null && !op.containsKey("operationId")) {
          op.put("operationId", operationId(method, path));
        }
      }
    }
  }

  private static void keepServerWithoutPrefix(JsonObject main) {
    JsonArray kept = new JsonArray();
    for (Object o : main.getJsonArray("servers", new JsonArray())) {
      JsonObject server = (JsonObject) o;
      String url = server.getString("url", "");
      if (url.endsWith("/v1")) {
        continue;
      }
      JsonObject vars = server.getJsonObject("variables", new JsonObject());
      for (String name : vars.fieldNames()) {
        url = url.replace("{" + name + "}", vars.getJsonObject(name).getString("default"));
      }
      kept.add(new JsonObject().put("url", url));
    }
    main.put("servers", kept);
  }

  /**
   * True for a ref to a schema without {@code type} whose {@code oneOf} alternatives are all
   * strings.
   */
  private static boolean untypedStringUnion(JsonObject schema, JsonObject components) {
    JsonObject target = deref(schema, components);
    if (target.containsKey("type")
        || !(target.getValue("oneOf") instanceof JsonArray alternatives)) {
      return false;
    }
    for (Object alt : alternatives) {
      if (!"string".equals(deref((JsonObject) alt, components).getString("type"))) {
        return false;
      }
    }
    return true;
  }

  private static JsonObject deref(JsonObject schema, JsonObject components) {
    String ref = schema.getString("$ref");
    if (ref != null && ref.startsWith(COMMON + "#")) {
      ref = ref.substring(COMMON.length());
    }
    if (ref == null || !ref.startsWith("#/components/schemas/")) {
      return schema;
    }
    return components
        .getJsonObject("schemas")
        .getJsonObject(ref.substring("#/components/schemas/".length()));
  }

  /** Internal refs and repairs 2, 3, 4 and 6, anywhere in the tree. */
  private static void walk(Object node, JsonObject components) {
    if (node instanceof JsonObject obj) {
      if (obj.getValue("$ref") instanceof String ref && ref.startsWith(COMMON + "#")) {
        obj.put("$ref", ref.substring(COMMON.length()));
      }
      if (obj.getValue("schema") instanceof JsonObject schema
          && schema.getString("$ref", "").contains("#/components/parameters/")) {
        String ref = schema.getString("$ref");
        String name = ref.substring(ref.lastIndexOf('/') + 1);
        JsonObject param = components.getJsonObject("parameters").getJsonObject(name);
        obj.put("schema", param.getJsonObject("schema").copy());
      }
      if (obj.containsKey("in")
          && obj.getValue("schema") instanceof JsonObject schema
          && untypedStringUnion(schema, components)) {
        obj.put(
            "schema",
            new JsonObject().put("type", "string").put("allOf", new JsonArray().add(schema)));
      }
      if (obj.getValue("content") instanceof JsonObject content) {
        Object problem = content.remove("application/problem+json");
        if (problem != null && !content.containsKey("application/json")) {
          content.put("application/json", problem);
        }
        content.remove("application/x-tar");
      }
      for (String key : new ArrayList<>(obj.fieldNames())) {
        walk(obj.getValue(key), components);
      }
    } else if (node instanceof JsonArray arr) {
      for (Object o : arr) {
        walk(o, components);
      }
    }
  }
}
