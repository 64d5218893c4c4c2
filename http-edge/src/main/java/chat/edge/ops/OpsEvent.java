package chat.edge.ops;

/** What a dashboard stream carries: {@code event: snapshot} and {@code event: member}. */
public sealed interface OpsEvent permits ClusterSnapshot, MemberChange {}
