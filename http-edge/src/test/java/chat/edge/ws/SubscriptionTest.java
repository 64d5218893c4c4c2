package chat.edge.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.room.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Every ordering case of one subscription's delivery. Frames are strings: "live 3" came from the
 * hub, "read 3" from a history read, so each test also shows where a frame came from.
 */
class SubscriptionTest {

  private final Subscription<String> subscription = new Subscription<>(1, m -> "read " + m.seq());

  @Test
  void aSubscriptionWithoutAfterSeqStartsWithTheNextNewMessage() {
    assertEquals(List.of(), subscription.started(5, null));
    assertEquals(OptionalLong.empty(), subscription.readWanted());
    assertEquals(List.of("live 6"), live(6));
    assertEquals(List.of("live 7"), live(7));
  }

  @Test
  void liveMessagesBeforeTheRoomAnswersWaitAndThoseAlreadyKnownAreDropped() {
    assertEquals(List.of(), live(5));
    assertEquals(List.of(), live(6));
    assertEquals(List.of("live 6"), subscription.started(5, null));
    assertEquals(OptionalLong.empty(), subscription.readWanted());
  }

  @Test
  void afterSeqReplaysTheMissedMessagesFromHistoryThenGoesLive() {
    assertEquals(List.of(), subscription.started(4, 1L));
    assertEquals(OptionalLong.of(1), subscription.readWanted());
    subscription.reading();
    assertEquals(OptionalLong.empty(), subscription.readWanted(), "one read at a time");
    assertEquals(List.of("read 2", "read 3", "read 4"), subscription.read(messages(2, 4)));
    assertEquals(OptionalLong.empty(), subscription.readWanted());
    assertEquals(List.of("live 5"), live(5));
  }

  @Test
  void anAfterSeqPastTheRoomsEndStartsAtItsEnd() {
    assertEquals(List.of(), subscription.started(3, 10L));
    assertEquals(3, subscription.delivered());
    assertEquals(List.of("live 4"), live(4));
  }

  @Test
  void aDuplicateLiveMessageIsDeliveredOnce() {
    subscription.started(0, null);
    assertEquals(List.of("live 1"), live(1));
    assertEquals(List.of(), live(1));
    assertEquals(List.of("live 2"), live(2));
  }

  @Test
  void aGapHoldsLaterMessagesBackUntilItIsReadThenDeliversAllInOrder() {
    subscription.started(0, null);
    assertEquals(List.of(), live(2));
    assertEquals(List.of(), live(3));
    assertEquals(OptionalLong.of(0), subscription.readWanted());
    subscription.reading();
    // The read sees 1..3; 2 and 3 go out as the live frames already rendered.
    assertEquals(List.of("read 1", "live 2", "live 3"), subscription.read(messages(1, 3)));
    assertEquals(OptionalLong.empty(), subscription.readWanted());
  }

  @Test
  void liveMessagesArrivingDuringAReadWaitForIt() {
    subscription.started(3, 0L);
    subscription.reading();
    assertEquals(List.of(), live(4), "the read is still under way");
    assertEquals(List.of(), live(5));
    assertEquals(List.of("read 1", "read 2", "read 3", "live 4", "live 5"), subscription.read(messages(1, 3)));
    assertEquals(OptionalLong.empty(), subscription.readWanted());
  }

  @Test
  void aReadOverlappingLiveMessagesDeliversEachOnce() {
    subscription.started(2, 0L);
    subscription.reading();
    live(3);
    live(4);
    // The history already holds 3 and 4 as well.
    assertEquals(List.of("read 1", "read 2", "live 3", "live 4"), subscription.read(messages(1, 4)));
    assertEquals(List.of(), live(3));
    assertEquals(List.of(), live(4));
    assertEquals(List.of("live 5"), live(5));
  }

  @Test
  void aLongReplayGoesPageByPage() {
    subscription.started(500, 0L);
    List<String> frames = new ArrayList<>();
    while (subscription.readWanted().isPresent()) {
      long after = subscription.readWanted().getAsLong();
      subscription.reading();
      frames.addAll(subscription.read(messages(after + 1, Math.min(after + 200, 500))));
    }
    assertEquals(LongStream.rangeClosed(1, 500).mapToObj(seq -> "read " + seq).toList(), frames);
  }

  @Test
  void aReadThatFindsNothingNewWaitsForTheNextHeadOrMessage() {
    subscription.started(0, null);
    subscription.head(2);
    subscription.reading();
    // The history does not hold seq 1 and 2 yet.
    assertEquals(List.of(), subscription.read(List.of()));
    assertEquals(OptionalLong.empty(), subscription.readWanted(), "no read loop on an empty history");
    subscription.head(2);
    assertEquals(OptionalLong.of(0), subscription.readWanted(), "the repeated head tries again");
    subscription.reading();
    assertEquals(List.of("read 1", "read 2"), subscription.read(messages(1, 2)));
  }

  @Test
  void aFailedReadIsRetriedOnTheNextHead() {
    subscription.started(3, 0L);
    subscription.reading();
    subscription.readFailed();
    assertEquals(OptionalLong.empty(), subscription.readWanted());
    subscription.head(3);
    assertEquals(OptionalLong.of(0), subscription.readWanted());
  }

  @Test
  void aHeadAheadOfEveryLiveMessageShowsAGapNothingElseWould() {
    subscription.started(1, null);
    assertEquals(OptionalLong.empty(), subscription.readWanted());
    subscription.head(2);
    assertEquals(OptionalLong.of(1), subscription.readWanted());
  }

  @Test
  void waitingLiveMessagesAreBoundedAndTheRestComesFromHistory() {
    subscription.started(0, null);
    subscription.reading();
    for (long seq = 2; seq <= Subscription.MAX_WAITING + 501; seq++) {
      live(seq);
    }
    long last = Subscription.MAX_WAITING + 501;
    List<String> frames = new ArrayList<>(subscription.read(messages(1, 200)));
    while (subscription.readWanted().isPresent()) {
      long after = subscription.readWanted().getAsLong();
      subscription.reading();
      frames.addAll(subscription.read(messages(after + 1, Math.min(after + 200, last))));
    }
    assertEquals(last, frames.size());
    assertEquals("read 1", frames.get(0));
    assertEquals("live 2", frames.get(1));
    assertEquals("read " + (Subscription.MAX_WAITING + 2), frames.get(Subscription.MAX_WAITING + 1),
        "past the bound, messages are read from history");
    for (int i = 0; i < frames.size(); i++) {
      assertTrue(frames.get(i).endsWith(" " + (i + 1)), "in order: " + frames.get(i));
    }
  }

  @Test
  void aNewSubscriptionOfTheSameRoomStartsOver() {
    subscription.started(2, null);
    live(3);
    Subscription<String> again = new Subscription<>(2, m -> "read " + m.seq());
    assertEquals(2, again.generation());
    assertEquals(List.of(), again.started(3, 1L));
    assertEquals(OptionalLong.of(1), again.readWanted());
    again.reading();
    assertEquals(List.of("read 2", "read 3"), again.read(messages(2, 3)));
  }

  private List<String> live(long seq) {
    return subscription.live(seq, "live " + seq);
  }

  private static List<Message> messages(long from, long to) {
    return LongStream.rangeClosed(from, to)
        .mapToObj(seq -> new Message("room", seq, "alice", "text " + seq, Instant.EPOCH, "c" + seq))
        .toList();
  }
}
