package chat.projections;

import chat.cluster.user.UserEvent;
import chat.cluster.user.UserEvent.FriendAdded;
import chat.cluster.user.UserEvent.FriendRemoved;
import chat.cluster.user.UserEvent.ProfileChanged;
import chat.cluster.user.UserEvent.Registered;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Keeps {@code user_directory} and {@code friendship} from user events, in the projection's
 * transaction. {@code user_directory.event_seq_nr} holds the journal sequence number of the newest
 * event applied to the user, so an event delivered again is skipped. Session events change
 * nothing here.
 */
public final class UserReadProjectionHandler extends JdbcHandler<EventEnvelope<UserEvent>, ChatJdbcSession> {

  @Override
  public void process(ChatJdbcSession session, EventEnvelope<UserEvent> envelope) throws Exception {
    String userId = Sql.entityId(envelope.persistenceId());
    session.withConnection(connection -> {
      apply(connection, userId, envelope.sequenceNr(), envelope.event());
      return null;
    });
  }

  static void apply(Connection c, String userId, long seqNr, UserEvent event) throws SQLException {
    Long applied = Sql.queryLong(c, "SELECT \"event_seq_nr\" FROM \"user_directory\" WHERE \"user_id\" = ?", userId);
    if (applied != null && seqNr <= applied) {
      return;
    }
    if (event instanceof Registered e) {
      Sql.update(c, "INSERT INTO \"user_directory\" (\"user_id\", \"name\", \"status_message\", \"created_at\","
          + " \"event_seq_nr\") VALUES (?, ?, '', ?, ?)", userId, e.name(), Sql.nanos(e.at()), seqNr);
      return;
    } else if (event instanceof ProfileChanged e) {
      Sql.update(c, "UPDATE \"user_directory\" SET \"name\" = ?, \"status_message\" = ? WHERE \"user_id\" = ?",
          e.name(), e.statusMessage() == null ? "" : e.statusMessage(), userId);
    } else if (event instanceof FriendAdded e) {
      Sql.update(c, "DELETE FROM \"friendship\" WHERE \"user_id\" = ? AND \"friend_id\" = ?", userId, e.friendId());
      Sql.update(c, "INSERT INTO \"friendship\" (\"user_id\", \"friend_id\") VALUES (?, ?)", userId, e.friendId());
    } else if (event instanceof FriendRemoved e) {
      Sql.update(c, "DELETE FROM \"friendship\" WHERE \"user_id\" = ? AND \"friend_id\" = ?", userId, e.friendId());
    } else {
      return; // sessions and room membership: not in these tables
    }
    Sql.update(c, "UPDATE \"user_directory\" SET \"event_seq_nr\" = ? WHERE \"user_id\" = ?", seqNr, userId);
  }
}
