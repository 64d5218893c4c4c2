package chat.edge.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.util.ByteString;

/**
 * JSON in and out of the API, for REST bodies and WebSocket frames alike: one mapper, the
 * contract's timestamp format, bodies as objects.
 */
public final class Json {

  // Trailing tokens after the value ({"a":1} x) make the body invalid JSON, not a shorter body.
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Json() {}

  public static String timestamp(Instant instant) {
    return TIMESTAMP.format(instant);
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static String write(Object body) {
    try {
      return MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("value cannot be written as JSON", e);
    }
  }

  public static byte[] bytes(Object body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("value cannot be written as JSON", e);
    }
  }

  /** Parses a request body or a frame that must be one JSON object. */
  public static JsonBody parseObject(ByteString bytes) {
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes.toArrayUnsafe());
    } catch (IOException e) {
      throw new ApiError(StatusCodes.BAD_REQUEST, "MALFORMED_JSON", "the request body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw new ApiError(StatusCodes.BAD_REQUEST, "MALFORMED_JSON", "the request body must be a JSON object");
    }
    return new JsonBody((ObjectNode) node);
  }
}
