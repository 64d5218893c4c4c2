package chat.edge.ops;

/** The shards of one entity type a node hosts, and the entities alive in them. {@code type}: user, room. */
public record ShardCount(String type, int shards, int entities) {}
