package chat.cluster.user;

/** A refused input: which field was at fault and why, in words for a person. */
public record FieldError(String field, String message) {}
