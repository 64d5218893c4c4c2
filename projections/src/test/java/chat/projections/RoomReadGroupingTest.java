package chat.projections;

import static chat.projections.ProjectionFixture.envelope;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.cluster.room.RoomDecision;
import chat.cluster.room.RoomEvent;
import chat.cluster.room.RoomState;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applying a group of room events (consecutive message events written together) leaves the tables
 * exactly as applying the same events one by one, and as the room itself counts unread messages.
 * Random rooms: posts by random members, alone or several in one event (and some stored alone, as
 * by earlier versions), read marks, leaves and joins, envelopes delivered again.
 */
class RoomReadGroupingTest {

  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123Z");
  private static final List<String> PEOPLE = List.of("ann", "bob", "cat", "dan", "eve");

  @TempDir
  Path tempDir;

  @Test
  void groupedApplicationEqualsOneByOneAndTheRoomsOwnCounts() throws Exception {
    try (ProjectionFixture f = new ProjectionFixture(ProjectionFixture.Db.H2, tempDir);
         Connection c = f.pool.getConnection()) {
      c.setAutoCommit(false);
      for (int run = 0; run < 40; run++) {
        Random random = new Random(run);
        RoomState room = new RoomState("x");
        List<RoomEvent> events = new ArrayList<>();
        decide(room, room.create(null, "ann", List.of("bob", "cat"), T0), events);
        for (int step = 0; step < 60; step++) {
          String who = PEOPLE.get(random.nextInt(PEOPLE.size()));
          int pick = random.nextInt(100);
          if (pick < 15) {
            // A message stored alone, as earlier versions wrote them.
            RoomState.Posting posting = room.post(who, "m" + step, "text " + step, T0.plusSeconds(step));
            posting.events().forEach(event -> decide(room, event.messages().get(0), events));
          } else if (pick < 75) {
            List<RoomState.PostRequest> posts = new ArrayList<>();
            for (int i = random.nextInt(4); i >= 0; i--) {
              String sender = PEOPLE.get(random.nextInt(PEOPLE.size()));
              posts.add(new RoomState.PostRequest(sender, "m" + step + "-" + i, "text " + step + "-" + i));
            }
            room.post(posts, T0.plusSeconds(step)).events().forEach(event -> decide(room, event, events));
          } else if (pick < 88) {
            decide(room, room.markRead(who, random.nextInt((int) room.lastSeq() + 2), T0), events);
          } else if (pick < 94) {
            decide(room, room.leave(who, T0), events);
          } else {
            decide(room, room.invite(room.members().isEmpty() ? who : room.members().get(0), who, true, T0), events);
          }
        }
        String single = "single-" + run;
        String grouped = "grouped-" + run;
        List<EventEnvelope<RoomEvent>> envelopes = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
          RoomReadProjectionHandler.applyAll(c, List.of(envelope(i + 1, "Room|" + single, i + 1, events.get(i))));
          envelopes.add(envelope(i + 1, "Room|" + grouped, i + 1, events.get(i)));
        }
        // Random groups, each sometimes delivered a second time, as after a restart.
        int from = 0;
        while (from < envelopes.size()) {
          int to = Math.min(envelopes.size(), from + 1 + random.nextInt(12));
          RoomReadProjectionHandler.applyAll(c, envelopes.subList(from, to));
          if (random.nextInt(5) == 0) {
            RoomReadProjectionHandler.applyAll(c, envelopes.subList(from, to));
          }
          from = to;
        }
        c.commit();

        assertEquals(tables(f, single), tables(f, grouped), "run " + run);
        Map<String, String> unread = new TreeMap<>();
        room.members().forEach(member -> unread.put(member, String.valueOf(room.viewFor(member).unread())));
        Map<String, String> projected = new TreeMap<>();
        f.rows("SELECT \"user_id\", \"unread\" FROM \"room_member\" WHERE \"room_id\" = '" + grouped + "'")
            .forEach(row -> projected.put(row.get(0), row.get(1)));
        assertEquals(unread, projected, "unread counts of run " + run);
      }
    }
  }

  private static void decide(RoomState room, RoomDecision decision, List<RoomEvent> events) {
    decision.events().forEach(event -> decide(room, event, events));
  }

  private static void decide(RoomState room, RoomEvent event, List<RoomEvent> events) {
    room.apply(event);
    events.add(event);
  }

  /** A room's rows in all three tables, without the room id. */
  private static List<List<List<String>>> tables(ProjectionFixture f, String roomId) {
    String where = " WHERE \"room_id\" = '" + roomId + "'";
    return List.of(
        f.rows("SELECT \"seq\", \"sender_id\", \"text\", \"sent_at\", \"client_msg_id\" FROM \"room_message\"" + where
            + " ORDER BY \"seq\""),
        f.rows("SELECT \"name\", \"created_by\", \"created_at\", \"last_seq\", \"last_sender_id\", \"last_text\","
            + " \"last_sent_at\", \"last_client_msg_id\", \"event_seq_nr\" FROM \"room_summary\"" + where),
        f.rows("SELECT \"user_id\", \"read_mark\", \"unread\", \"joined_at\", \"member_no\" FROM \"room_member\"" + where
            + " ORDER BY \"user_id\""));
  }
}
