package chat.edge.http;

import chat.edge.api.ApiError;
import chat.edge.api.Json;
import chat.edge.auth.AccessTokens;
import chat.edge.auth.Operators;
import chat.edge.metrics.NodeMetrics;
import chat.projections.status.ProjectionStatusRegistry.Status;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What operators read: {@code GET /metrics} (Prometheus text, no auth, for scrapers) and
 * {@code GET /api/ops/projections} (this node's projection instances as JSON, for operators only:
 * their errors name the node's internals).
 */
public final class OpsRoutes extends ApiDirectives {

  static final ContentType.NonBinary PROMETHEUS =
      MediaTypes.customWithOpenCharset("text", "plain", Map.of("version", "0.0.4"), false)
          .toContentType(HttpCharsets.UTF_8);

  private final NodeMetrics metrics;
  private final Operators operators;

  public OpsRoutes(NodeMetrics metrics, AccessTokens accessTokens, Operators operators) {
    super(accessTokens);
    this.metrics = metrics;
    this.operators = operators;
  }

  /** {@code GET /metrics}, outside {@code /api}. */
  public Route metricsRoute() {
    return path("metrics", () -> get(() -> complete(
        HttpResponse.create().withEntity(HttpEntities.create(PROMETHEUS, metrics.render())))));
  }

  /** {@code GET /api/ops/projections}; goes under {@code /api}. */
  public Route apiRoute() {
    return path(PathMatchers.segment("ops").slash("projections"),
        () -> get(() -> operator(operators, me -> complete(Responses.ok(projections())))));
  }

  private ObjectNode projections() {
    ArrayNode instances = Json.object().arrayNode();
    for (Status status : metrics.projections().snapshot()) {
      ObjectNode instance = instances.addObject();
      instance.put("name", status.projection());
      instance.put("slice", status.slice());
      if (status.offsetSequence() != null) {
        instance.put("offset", status.offsetSequence());
      } else {
        instance.put("offset", status.offset());
      }
      instance.put("lagMillis", status.lagMillis());
      if (status.lastEventTimestamp() > 0) {
        instance.put("lastEventAt", Json.timestamp(Instant.ofEpochMilli(status.lastEventTimestamp())));
      } else {
        instance.putNull("lastEventAt");
      }
      instance.put("errors", status.errors());
      instance.put("failures", status.failures());
      instance.put("lastError", status.lastError());
      instance.put("running", status.running());
    }
    ObjectNode body = Json.object();
    body.set("projections", instances);
    return body;
  }
}
