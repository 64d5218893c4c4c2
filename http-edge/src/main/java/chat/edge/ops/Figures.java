package chat.edge.ops;

/**
 * One node's figures as a member of {@code GET /api/ops/cluster} shows them ({@code stats}).
 * Rates and the p99 are over the node's recent window ({@code chat.ops.rate-window}).
 *
 * @param connections open WebSocket connections on the node
 * @param messagesInPerSec messages persisted for senders through the node, per second
 * @param messagesOutPerSec message frames written to the node's WebSockets, per second
 * @param persistP99Millis the 99th percentile of send-to-persisted time (a bucket's upper bound),
 *     null when nothing was sent in the window
 * @param cpuLoad the node's process CPU load, 0 to 1, null where the JVM cannot tell
 */
public record Figures(
    int connections,
    double messagesInPerSec,
    double messagesOutPerSec,
    Double persistP99Millis,
    long heapUsedBytes,
    long heapMaxBytes,
    Double cpuLoad) {}
