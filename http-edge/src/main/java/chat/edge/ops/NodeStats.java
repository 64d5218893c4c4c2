package chat.edge.ops;

import chat.cluster.CborSerializable;
import chat.projections.status.ProjectionStatusRegistry;
import java.util.List;

/**
 * What one node tells the node that gathers the cluster's view: its figures, its shards, the
 * projection instances it has run, and how to reach it.
 *
 * @param httpUrl the node's HTTP address, e.g. {@code http://10.0.0.7:8080}
 * @param upSince when the node saw itself Up (contract timestamp), null before
 */
public record NodeStats(
    String httpUrl,
    String upSince,
    Figures figures,
    List<ShardCount> shards,
    List<ProjectionStatusRegistry.Status> projections) implements CborSerializable {}
