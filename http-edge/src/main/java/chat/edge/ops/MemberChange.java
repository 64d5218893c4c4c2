package chat.edge.ops;

/**
 * A membership change as the stream's {@code event: member} shows it: {@code status} is joined,
 * weakly-up, up, leaving, exiting, down, removed, unreachable or reachable.
 */
public record MemberChange(String node, String status, String at) implements OpsEvent {}
