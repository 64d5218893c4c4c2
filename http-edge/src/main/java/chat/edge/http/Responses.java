package chat.edge.http;

import chat.edge.api.ApiError;
import chat.edge.api.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** JSON answers: a body with its status, or an {@link ApiError} in the contract's error shape. */
public final class Responses {

  private Responses() {}

  public static HttpResponse json(StatusCode status, Object body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.bytes(body)));
  }

  public static HttpResponse ok(Object body) {
    return json(StatusCodes.OK, body);
  }

  public static HttpResponse noContent() {
    return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
  }

  public static HttpResponse error(ApiError error) {
    ObjectNode detail = Json.object().put("code", error.code()).put("message", error.getMessage());
    if (error.field() != null) {
      detail.put("field", error.field());
    }
    ObjectNode body = Json.object();
    body.set("error", detail);
    return json(error.status(), body);
  }
}
