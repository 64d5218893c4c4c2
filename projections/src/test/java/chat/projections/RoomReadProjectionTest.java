package chat.projections;

import static chat.projections.ProjectionFixture.envelope;
import static chat.projections.ProjectionFixture.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.cluster.room.RoomEvent;
import chat.cluster.room.RoomEvent.MemberJoined;
import chat.cluster.room.RoomEvent.MemberLeft;
import chat.cluster.room.RoomEvent.MessagePosted;
import chat.cluster.room.RoomEvent.ReadMarkMoved;
import chat.cluster.room.RoomEvent.RoomCreated;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RoomReadProjectionTest {

  private static final String PID = "Room|r1";
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456789Z");

  @TempDir
  Path tempDir;

  private static EventEnvelope<RoomEvent> ev(long offset, long seqNr, RoomEvent event) {
    return envelope(offset, PID, seqNr, event);
  }

  private static MessagePosted msg(long seq, String sender) {
    return new MessagePosted(seq, sender, "c" + seq, "text " + seq, T0.plusSeconds(seq));
  }

  private void run(ProjectionFixture f, List<EventEnvelope<RoomEvent>> envelopes, Runnable assertions) {
    f.projectionTestKit.run(
        RoomReadProjection.create(f.testKit.system(), f.sessions, "room-0", source(envelopes),
            ProjectionFixture.GROUPING), assertions::run);
  }

  @ParameterizedTest
  @EnumSource(ProjectionFixture.Db.class)
  void keepsMessagesInOrderWithSummaryReadMarksAndUnread(ProjectionFixture.Db db) throws Exception {
    try (ProjectionFixture f = new ProjectionFixture(db, tempDir)) {
      run(f, List.of(
          ev(1, 1, new RoomCreated("r1", "Lunch", "a", List.of("a", "b"), T0)),
          ev(2, 2, msg(1, "a")),
          ev(3, 3, msg(2, "b")),
          ev(4, 4, msg(3, "a")),
          ev(5, 5, new ReadMarkMoved("b", 2, T0.plusSeconds(9)))), () -> {
            assertEquals(List.of(
                List.of("1", "a", "text 1", String.valueOf(Sql.nanos(T0.plusSeconds(1))), "c1"),
                List.of("2", "b", "text 2", String.valueOf(Sql.nanos(T0.plusSeconds(2))), "c2"),
                List.of("3", "a", "text 3", String.valueOf(Sql.nanos(T0.plusSeconds(3))), "c3")),
                f.rows("SELECT \"seq\", \"sender_id\", \"text\", \"sent_at\", \"client_msg_id\" FROM \"room_message\""
                    + " WHERE \"room_id\" = 'r1' ORDER BY \"seq\""));
            assertEquals(List.of(List.of("Lunch", "a", "3", "a", "text 3", "5")),
                f.rows("SELECT \"name\", \"created_by\", \"last_seq\", \"last_sender_id\", \"last_text\", \"event_seq_nr\""
                    + " FROM \"room_summary\""));
            // As RoomState counts: a's mark moved with a's own first message; b read up to 2.
            assertEquals(List.of(List.of("a", "1", "1"), List.of("b", "2", "1")),
                f.rows("SELECT \"user_id\", \"read_mark\", \"unread\" FROM \"room_member\" ORDER BY \"user_id\""));
          });
    }
  }

  @ParameterizedTest
  @EnumSource(ProjectionFixture.Db.class)
  void anEnvelopeDeliveredTwiceIsAppliedOnce(ProjectionFixture.Db db) throws Exception {
    try (ProjectionFixture f = new ProjectionFixture(db, tempDir)) {
      EventEnvelope<RoomEvent> first = ev(2, 2, msg(1, "a"));
      EventEnvelope<RoomEvent> leave = ev(4, 4, new MemberLeft("c", T0));
      run(f, List.of(
          ev(1, 1, new RoomCreated("r1", null, "a", List.of("a", "b", "c"), T0)),
          first, first,
          ev(3, 3, msg(2, "a")),
          leave, first, leave), () -> {
            assertEquals(List.of(List.of("1"), List.of("2")),
                f.rows("SELECT \"seq\" FROM \"room_message\" ORDER BY \"seq\""));
            assertEquals(List.of(List.of("a", "2", "0"), List.of("b", "0", "2")),
                f.rows("SELECT \"user_id\", \"read_mark\", \"unread\" FROM \"room_member\" ORDER BY \"user_id\""));
            assertEquals(List.of(List.of("2", "4")), f.rows("SELECT \"last_seq\", \"event_seq_nr\" FROM \"room_summary\""));
          });
    }
  }

  @ParameterizedTest
  @EnumSource(ProjectionFixture.Db.class)
  void aNewcomerStartsWithNothingUnreadAndLeavingRemovesTheMember(ProjectionFixture.Db db) throws Exception {
    try (ProjectionFixture f = new ProjectionFixture(db, tempDir)) {
      run(f, List.of(
          ev(1, 1, new RoomCreated("r1", "x", "a", List.of("a", "b"), T0)),
          ev(2, 2, msg(1, "b")),
          ev(3, 3, new MemberJoined("c", "a", T0)),
          ev(4, 4, msg(2, "a")),
          ev(5, 5, new MemberLeft("b", T0))), () ->
          assertEquals(List.of(List.of("a", "0", "1"), List.of("c", "1", "1")),
              f.rows("SELECT \"user_id\", \"read_mark\", \"unread\" FROM \"room_member\" ORDER BY \"user_id\"")));
    }
  }
}
