package chat.bench.faults;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the clients of one run sent and were told, shared by all of them: each message's
 * ack, the refusals by error code, the retries, and per room which message each seq showed.
 */
final class Ledger {

  /** A message one client sent: its room, and the seq of its ack once it came (-1 before). */
  static final class Sent {
    final String roomId;
    volatile long seq = -1;

    Sent(String roomId) {
      this.roomId = roomId;
    }
  }

  final Map<String, Sent> sent = new ConcurrentHashMap<>();
  /** Per room, seq → the clientMsgId delivered under it (first seen). */
  final Map<String, Map<Long, String>> shownBySeq = new ConcurrentHashMap<>();
  final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();
  final AtomicLong acked = new AtomicLong();
  final AtomicLong retried = new AtomicLong();
  /** A seq delivered with another clientMsgId than an earlier delivery of it: two writers for one room. */
  final AtomicLong seqConflicts = new AtomicLong();
  /** An ack for a message that was acked before under another seq: stored twice. */
  final AtomicLong ackConflicts = new AtomicLong();

  void sending(String clientMsgId, String roomId) {
    sent.put(clientMsgId, new Sent(roomId));
  }

  /** Records an ack; false if it was already acked (a retry answered with the original). */
  boolean ack(String clientMsgId, long seq) {
    Sent s = sent.get(clientMsgId);
    if (s == null) {
      return false;
    }
    synchronized (s) {
      if (s.seq >= 0) {
        if (s.seq != seq) {
          ackConflicts.incrementAndGet();
        }
        return false;
      }
      s.seq = seq;
    }
    acked.incrementAndGet();
    return true;
  }

  void refused(String code) {
    refusals.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
  }

  void shown(String roomId, long seq, String clientMsgId) {
    String first = shownBySeq.computeIfAbsent(roomId, r -> new ConcurrentHashMap<>()).putIfAbsent(seq, clientMsgId);
    if (first != null && !first.equals(clientMsgId)) {
      seqConflicts.incrementAndGet();
    }
  }

  Map<String, Long> refusalsByCode() {
    Map<String, Long> byCode = new TreeMap<>();
    refusals.forEach((code, n) -> byCode.put(code, n.get()));
    return byCode;
  }

  /** Every ack against a copy of the rooms' history: what it holds at each ack's (room, seq). */
  record Copy(long acked, long present, long missing, long otherMessageAtSeq) {}

  /** {@code clientMsgIdAt}: "roomId/seq" → the clientMsgId of the message the copy holds there. */
  Copy against(Map<String, String> clientMsgIdAt) {
    long acked = 0;
    long present = 0;
    long missing = 0;
    long other = 0;
    for (Map.Entry<String, Sent> e : sent.entrySet()) {
      Sent s = e.getValue();
      if (s.seq < 0) {
        continue;
      }
      acked++;
      String there = clientMsgIdAt.get(s.roomId + "/" + s.seq);
      if (there == null) {
        missing++;
      } else if (there.equals(e.getKey())) {
        present++;
      } else {
        other++;
      }
    }
    return new Copy(acked, present, missing, other);
  }

  /** Messages shown under more than one seq of their room: a client showing by seq shows them twice. */
  long shownTwice() {
    long twice = 0;
    for (Map<Long, String> room : shownBySeq.values()) {
      Map<String, Integer> seqsPerMessage = new ConcurrentHashMap<>();
      room.values().forEach(id -> seqsPerMessage.merge(id, 1, Integer::sum));
      twice += seqsPerMessage.values().stream().filter(n -> n > 1).count();
    }
    return twice;
  }
}
