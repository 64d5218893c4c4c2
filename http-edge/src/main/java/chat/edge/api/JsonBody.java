package chat.edge.api;

import chat.cluster.user.FieldError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** A request's JSON object, read field by field with the contract's error for a wrong type. */
public final class JsonBody {

  private final ObjectNode node;

  JsonBody(ObjectNode node) {
    this.node = node;
  }

  /** The field's raw value, or null when absent. */
  public JsonNode node(String field) {
    return node.get(field);
  }

  /** The field's text, or null when it is absent or JSON null. Any other type is refused. */
  public String text(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiError.validation(field, field + " must be a string");
    }
    return wellFormed(field, value.textValue());
  }

  /** The field's whole number; absent, null, fractional or another type is refused. */
  public long requiredLong(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw ApiError.validation(field, field + " is required");
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw ApiError.validation(field, field + " must be a whole number");
    }
    return value.longValue();
  }

  /** The field's array of strings, or null when absent or JSON null. */
  public List<String> textList(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw ApiError.validation(field, field + " must be an array of strings");
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isTextual()) {
        throw ApiError.validation(field, field + " must be an array of strings");
      }
      texts.add(wellFormed(field, element.textValue()));
    }
    return texts;
  }

  /** The field's text; absent, null or blank is refused. */
  public String requiredText(String field) {
    String value = text(field);
    if (value == null || value.isBlank()) {
      throw ApiError.validation(field, field + " is required");
    }
    return value;
  }

  /** Every string in a body is checked here, so no field can carry a lone surrogate into an entity. */
  private static String wellFormed(String field, String text) {
    FieldError.unlessWellFormed(field, text).ifPresent(error -> {
      throw ApiError.validation(error.field(), error.message());
    });
    return text;
  }
}
