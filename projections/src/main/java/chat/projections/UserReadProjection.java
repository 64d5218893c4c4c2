package chat.projections;

import chat.cluster.EventTags;
import chat.cluster.user.UserEvent;
import chat.projections.status.ProjectionStatusRegistry;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.ExactlyOnceProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/** The user directory and friendships, one exactly-once projection per user slice, spread over the cluster. */
public final class UserReadProjection {

  public static final String NAME = "user-read";

  private UserReadProjection() {}

  public static void init(ActorSystem<?> system, Supplier<ChatJdbcSession> sessions, int slices) {
    List<String> tags = EventTags.all(EventTags.USER, slices);
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class, NAME, tags.size(),
        i -> ProjectionBehavior.create(create(system, sessions, tags.get(i),
                EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tags.get(i)))
            .withStatusObserver(ProjectionStatusRegistry.get(system).<UserEvent>observer(NAME, tags.get(i)))),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  public static ExactlyOnceProjection<Offset, EventEnvelope<UserEvent>> create(
      ActorSystem<?> system, Supplier<ChatJdbcSession> sessions, String tag,
      SourceProvider<Offset, EventEnvelope<UserEvent>> source) {
    return JdbcProjection.exactlyOnce(
        ProjectionId.of(NAME, tag), source, sessions, UserReadProjectionHandler::new, system);
  }
}
