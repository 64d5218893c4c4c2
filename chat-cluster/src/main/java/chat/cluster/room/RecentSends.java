package chat.cluster.room;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The room's last {@link #CAPACITY} sends, so a retried send is answered with its original seq.
 * Each slot holds a 64-bit hash of (sender, clientMsgId) and the send time, at index
 * {@code (seq - 1) % length}: a few bytes per message instead of whole keys, which matters when
 * thousands of rooms are active. Arrays grow with the room up to the capacity and then wrap.
 * Mutable: only the room's event handler changes it.
 */
final class RecentSends {

  static final int CAPACITY = 10_000;
  private static final int INITIAL = 16;

  private long[] keys;
  private long[] sentAtMillis;
  private long lastSeq;

  RecentSends() {
    this(new long[INITIAL], new long[INITIAL], 0);
  }

  private RecentSends(long[] keys, long[] sentAtMillis, long lastSeq) {
    this.keys = keys;
    this.sentAtMillis = sentAtMillis;
    this.lastSeq = lastSeq;
  }

  record Sent(long seq, Instant sentAt) {}

  /** The most recent send with this key among the remembered ones. */
  Optional<Sent> find(String senderId, String clientMsgId) {
    long key = key(senderId, clientMsgId);
    long oldest = Math.max(1, lastSeq - keys.length + 1);
    for (long seq = lastSeq; seq >= oldest; seq--) {
      int slot = slot(seq);
      if (keys[slot] == key) {
        return Optional.of(new Sent(seq, Instant.ofEpochMilli(sentAtMillis[slot])));
      }
    }
    return Optional.empty();
  }

  /** Sends arrive in seq order, one after the other. */
  void record(long seq, String senderId, String clientMsgId, Instant sentAt) {
    if (seq > keys.length && keys.length < CAPACITY) {
      // Still below capacity no slot has wrapped, so (seq - 1) % length stays seq - 1 after growing.
      int grown = Math.min(CAPACITY, keys.length * 2);
      keys = Arrays.copyOf(keys, grown);
      sentAtMillis = Arrays.copyOf(sentAtMillis, grown);
    }
    int slot = slot(seq);
    keys[slot] = key(senderId, clientMsgId);
    sentAtMillis[slot] = sentAt.toEpochMilli();
    lastSeq = seq;
  }

  Snapshot snapshot() {
    return new Snapshot(keys.clone(), sentAtMillis.clone(), lastSeq);
  }

  static RecentSends from(Snapshot snapshot) {
    return new RecentSends(snapshot.keys().clone(), snapshot.sentAtMillis().clone(), snapshot.lastSeq());
  }

  /** An immutable copy for the snapshot store. */
  record Snapshot(long[] keys, long[] sentAtMillis, long lastSeq) {}

  private int slot(long seq) {
    return (int) ((seq - 1) % keys.length);
  }

  /** FNV-1a over both strings with a separator, then a 64-bit finaliser to spread the bits. */
  static long key(String senderId, String clientMsgId) {
    long h = 0xcbf29ce484222325L;
    h = mix(h, senderId);
    h = (h ^ 0xFFFF) * 0x100000001b3L;
    h = mix(h, clientMsgId);
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  private static long mix(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }
}
