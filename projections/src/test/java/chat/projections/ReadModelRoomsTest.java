package chat.projections;

import static chat.projections.ProjectionFixture.envelope;
import static chat.projections.ProjectionFixture.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.room.Message;
import chat.cluster.room.RoomEvent;
import chat.cluster.room.RoomEvent.MemberJoined;
import chat.cluster.room.RoomEvent.MemberLeft;
import chat.cluster.room.RoomEvent.MembershipSynced;
import chat.cluster.room.RoomEvent.MessagePosted;
import chat.cluster.room.RoomEvent.ReadMarkMoved;
import chat.cluster.room.RoomEvent.RoomCreated;
import chat.cluster.room.RoomView;
import chat.projections.ReadModel.ListedRoom;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The room list as the read tables answer it, and when they can answer it. */
class ReadModelRoomsTest {

  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123Z");

  @TempDir
  Path tempDir;

  @ParameterizedTest
  @EnumSource(ProjectionFixture.Db.class)
  void listsEachRoomAsTheEntityShowsItAndIsCurrentOnlyWhenEveryJournalEventIsApplied(ProjectionFixture.Db db)
      throws Exception {
    List<RoomEvent> lunch = List.of(
        new RoomCreated("lunch", "Lunch", "c", List.of("c", "a", "b"), T0),
        new MessagePosted(1, "c", "m1", "hello", T0.plusSeconds(1)),
        new MemberLeft("b", T0.plusSeconds(2)),
        new MemberJoined("d", "c", T0.plusSeconds(3)),
        new MemberJoined("b", "c", T0.plusSeconds(4)),
        new MessagePosted(2, "d", "m2", "hi all", T0.plusSeconds(5)),
        new MessagePosted(3, "a", "m3", "mine", T0.plusSeconds(6)),
        new MembershipSynced("b", true, T0.plusSeconds(7)));
    List<RoomEvent> unnamed = List.of(
        new RoomCreated("pair", null, "a", List.of("a", "e"), T0),
        new MessagePosted(1, "e", "x", "one", T0.plusSeconds(1)),
        new MessagePosted(2, "e", "y", "two", T0.plusSeconds(2)),
        new ReadMarkMoved("a", 1, T0.plusSeconds(3)));
    ExecutorService blocking = Executors.newSingleThreadExecutor();
    try (ProjectionFixture f = new ProjectionFixture(db, tempDir)) {
      List<EventEnvelope<RoomEvent>> envelopes = new ArrayList<>();
      addEnvelopes(envelopes, "lunch", lunch);
      addEnvelopes(envelopes, "pair", unnamed);
      journal(f, "lunch", lunch.size());
      journal(f, "pair", unnamed.size());
      ReadModel model = new ReadModel(f.pool, blocking);

      f.projectionTestKit.run(RoomReadProjection.create(f.testKit.system(), f.sessions, "room-0", source(envelopes),
            ProjectionFixture.GROUPING),
          () -> {
            List<ListedRoom> rooms = roomsOf(model, "a");
            assertEquals(List.of("lunch", "pair"), rooms.stream().map(r -> r.room().roomId()).sorted().toList());
            assertTrue(rooms.stream().allMatch(ListedRoom::current), "every event applied: " + rooms);
            RoomView lunchView = room(rooms, "lunch");
            assertEquals(new RoomView("lunch", "Lunch", List.of("c", "a", "d", "b"), "c", T0, 3,
                new Message("lunch", 3, "a", "mine", T0.plusSeconds(6), "m3"), 2), lunchView);
            RoomView pairView = room(rooms, "pair");
            assertEquals("a, e", pairView.name());
            assertEquals(1, pairView.unread());
          });

      // A room event the projection has yet to apply: the tables no longer answer for that room.
      journal(f, "lunch", lunch.size() + 1);
      List<ListedRoom> rooms = roomsOf(model, "a");
      assertFalse(rooms.stream().filter(r -> r.room().roomId().equals("lunch")).findFirst().orElseThrow().current());
      assertTrue(rooms.stream().filter(r -> r.room().roomId().equals("pair")).findFirst().orElseThrow().current());
      assertEquals(List.of(), roomsOf(model, "nobody"));
      assertNull(room(roomsOf(model, "e"), "lunch"));
    } finally {
      blocking.shutdownNow();
    }
  }

  private static void addEnvelopes(List<EventEnvelope<RoomEvent>> envelopes, String roomId, List<RoomEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      envelopes.add(envelope(envelopes.size() + 1, "Room|" + roomId, i + 1, events.get(i)));
    }
  }

  /** Journal rows up to {@code toSeqNr} for the room; only their sequence numbers matter here. */
  private static void journal(ProjectionFixture f, String roomId, long toSeqNr) throws SQLException {
    try (Connection c = f.pool.getConnection()) {
      Long newest = Sql.queryLong(c, "SELECT MAX(\"sequence_number\") FROM \"event_journal\" WHERE \"persistence_id\" = ?",
          "Room|" + roomId);
      for (long seqNr = newest == null ? 1 : newest + 1; seqNr <= toSeqNr; seqNr++) {
        Sql.update(c, "INSERT INTO \"event_journal\" (\"persistence_id\", \"sequence_number\", \"writer\","
            + " \"write_timestamp\", \"adapter_manifest\", \"event_ser_id\", \"event_ser_manifest\", \"event_payload\")"
            + " VALUES (?, ?, 'test', 0, '', 0, '', ?)",
            "Room|" + roomId, seqNr, new byte[] {1});
      }
    }
  }

  private static List<ListedRoom> roomsOf(ReadModel model, String userId) {
    try {
      return model.roomsOf(userId).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static RoomView room(List<ListedRoom> rooms, String roomId) {
    return rooms.stream().map(ListedRoom::room).filter(r -> r.roomId().equals(roomId)).findFirst().orElse(null);
  }
}
