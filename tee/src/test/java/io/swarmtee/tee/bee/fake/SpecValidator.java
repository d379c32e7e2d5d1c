package io.swarmtee.tee.bee.fake;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Checks requests and responses against Bee's OpenAPI spec and remembers every violation. Never
 * throws: a violation is data for the test to assert on.
 */
public final class SpecValidator {

  private final OpenAPIContract contract;
  private final RequestValidator requests;
  private final ResponseValidator responses;
  private final List<String> violations = new CopyOnWriteArrayList<>();

  private SpecValidator(Vertx vertx, OpenAPIContract contract) {
    this.contract = contract;
    this.requests = RequestValidator.create(vertx, contract);
    this.responses = ResponseValidator.create(vertx, contract);
  }

  /** Loads the spec ({@link BeeOpenApi}). */
  public static Future<SpecValidator> create(Vertx vertx) {
    return BeeOpenApi.load(vertx).map(c -> new SpecValidator(vertx, c));
  }

  /**
   * Validates a request as one of operation {@code operationId}, its body already read.
   *
   * @param pathParameters the path parameters as the fake's router read them (used instead of
   *     vertx-openapi's own extraction, which cannot map {@code /bzz/{ref}/} to an operation)
   * @param bodyType the media type to validate the body as (the request's own, or what the spec
   *     should have listed, see {@link FakeBee})
   * @return true when it conforms; otherwise false and the violation is recorded
   */
  public Future<Boolean> validateRequest(
      HttpServerRequest req,
      String operationId,
      Map<String, String> pathParameters,
      Buffer body,
      String bodyType) {
    Operation op = contract.operation(operationId);
    if (op == null) {
      violation(operationId + ": not an operation of Bee's API");
      return Future.succeededFuture(false);
    }
    Map<String, RequestParameter> path = new HashMap<>();
    pathParameters.forEach((k, v) -> path.put(k, new RequestParameterImpl(v)));
    return RequestUtils.extract(req, op, () -> Future.succeededFuture(body))
        .map(
            v ->
                (ValidatableRequest)
                    new ValidatableRequestImpl(
                        v.getCookies(),
                        v.getHeaders(),
                        path,
                        v.getQuery(),
                        v.getBody(),
                        bodyType == null ? null : mediaType(bodyType)))
        .compose(validatable -> requests.validate(validatable, operationId))
        .map(validated -> true)
        .otherwise(
            err -> {
              violation(
                  "request "
                      + req.method()
                      + " "
                      + req.uri()
                      + " as "
                      + operationId
                      + ": "
                      + describe(err));
              return false;
            });
  }

  /**
   * Validates a response of operation {@code operationId}; a violation is recorded, never thrown.
   *
   * @param body the body as it is (or, for HEAD, would be) sent; for HEAD it is checked only where
   *     the spec declares content for the status, since a HEAD answer carries none on the wire
   */
  public Future<Void> validateResponse(
      String operationId, boolean head, int status, MultiMap headers, Buffer body) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(e -> h.put(e.getKey(), e.getValue()));
    String contentType = headers.get("Content-Type");
    Buffer checked = body;
    if (head && !declaresContent(operationId, status)) {
      checked = null;
    }
    ValidatableResponse response =
        checked == null
            ? ValidatableResponse.create(status, h)
            : ValidatableResponse.create(
                status, h, checked, contentType == null ? null : mediaType(contentType));
    return responses
        .validate(response, operationId)
        .<Void>mapEmpty()
        .otherwise(
            err -> {
              violation("response " + status + " of " + operationId + ": " + describe(err));
              return null;
            });
  }

  private boolean declaresContent(String operationId, int status) {
    Operation op = contract.operation(operationId);
    Response r =
        op == null
            ? null
            : op.getResponse(status) != null ? op.getResponse(status) : op.getDefaultResponse();
    return r != null && !r.getContent().isEmpty();
  }

  /**
   * The media type without parameters: the spec's content keys name bare types ({@code
   * application/json}) while Bee writes {@code application/json; charset=utf-8}, which is the same
   * media type.
   */
  static String mediaType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .trim()
        .toLowerCase(java.util.Locale.ROOT);
  }

  void violation(String what) {
    violations.add(what);
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  List<String> takeViolations() {
    List<String> out = new ArrayList<>(violations);
    violations.removeAll(out);
    return List.copyOf(out);
  }

  private static String describe(Throwable err) {
    if (err instanceof SchemaValidationException sve && sve.getOutputUnit() != null) {
      return err.getMessage() + " " + errors(sve.getOutputUnit());
    }
    return err.getClass().getSimpleName() + ": " + err.getMessage();
  }

  private static String errors(OutputUnit unit) {
    List<String> out = new ArrayList<>();
    if (unit.getErrors() != null) {
      for (OutputUnit e : unit.getErrors()) {
        out.add(e.getInstanceLocation() + ": " + e.getError());
      }
    }
    return out.toString();
  }
}
