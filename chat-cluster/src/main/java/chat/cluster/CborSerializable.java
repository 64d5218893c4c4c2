package chat.cluster;

/**
 * Marker for every message, event and snapshot that crosses the wire or lands in the journal:
 * bound to Jackson CBOR in serialization.conf.
 */
public interface CborSerializable {}
