package chat.projections;

import static chat.projections.ProjectionFixture.envelope;
import static chat.projections.ProjectionFixture.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.cluster.user.UserEvent;
import chat.cluster.user.UserEvent.FriendAdded;
import chat.cluster.user.UserEvent.FriendRemoved;
import chat.cluster.user.UserEvent.ProfileChanged;
import chat.cluster.user.UserEvent.Registered;
import chat.cluster.user.UserEvent.SessionStarted;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UserReadProjectionTest {

  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.5Z");

  @TempDir
  Path tempDir;

  private void run(ProjectionFixture f, List<EventEnvelope<UserEvent>> envelopes, Runnable assertions) {
    f.projectionTestKit.run(
        UserReadProjection.create(f.testKit.system(), f.sessions, "user-0", source(envelopes)), assertions::run);
  }

  @ParameterizedTest
  @EnumSource(ProjectionFixture.Db.class)
  void keepsTheDirectoryAndFriendshipsInOrder(ProjectionFixture.Db db) throws Exception {
    try (ProjectionFixture f = new ProjectionFixture(db, tempDir)) {
      EventEnvelope<UserEvent> addB = envelope(3, "User|a", 3, new FriendAdded("b", true, 1, T0));
      run(f, List.of(
          envelope(1, "User|a", 1, new Registered("a", "Ann", "a@x", "hash", T0)),
          envelope(2, "User|b", 1, new Registered("b", "Bob", "b@x", "hash", T0)),
          addB,
          envelope(4, "User|a", 4, new FriendAdded("c", false, 1, T0)),
          envelope(5, "User|a", 5, new SessionStarted("f", "h", T0, T0)),
          envelope(6, "User|a", 6, new ProfileChanged("Ann B", "busy", T0)),
          envelope(7, "User|a", 7, new FriendRemoved("b", true, 2, T0)),
          addB), () -> {
            assertEquals(List.of(
                    List.of("a", "Ann B", "busy", String.valueOf(Sql.nanos(T0))),
                    List.of("b", "Bob", "", String.valueOf(Sql.nanos(T0)))),
                f.rows("SELECT \"user_id\", \"name\", \"status_message\", \"created_at\" FROM \"user_directory\""
                    + " ORDER BY \"user_id\""));
            // The FriendAdded delivered again after the removal is not applied again.
            assertEquals(List.of(List.of("a", "c")),
                f.rows("SELECT \"user_id\", \"friend_id\" FROM \"friendship\" ORDER BY \"friend_id\""));
          });
    }
  }
}
