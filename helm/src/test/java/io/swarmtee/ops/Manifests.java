package io.swarmtee.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** Rendered Kubernetes manifests (the output of {@code helm template}), parsed for assertions. */
record Manifests(List<JsonNode> docs) {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Manifests parse(String rendered) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(rendered)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
          docs.add(doc);
        }
      }
    }
    return new Manifests(List.copyOf(docs));
  }

  List<JsonNode> ofKind(String kind) {
    return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  Optional<JsonNode> find(String kind, String nameSuffix) {
    return ofKind(kind).stream()
        .filter(d -> d.path("metadata").path("name").asText().endsWith(nameSuffix))
        .findFirst();
  }

  static Optional<JsonNode> container(JsonNode workload, String name) {
    return StreamSupport.stream(
            workload.path("spec").path("template").path("spec").path("containers").spliterator(),
            false)
        .filter(c -> name.equals(c.path("name").asText()))
        .findFirst();
  }

  /** The container's env as name → node (value or valueFrom). */
  static ObjectNode env(JsonNode container) {
    ObjectNode env = YAML.createObjectNode();
    container.path("env").forEach(e -> env.set(e.path("name").asText(), e));
    return env;
  }
}
