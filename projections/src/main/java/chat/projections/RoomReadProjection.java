package chat.projections;

import chat.cluster.EventTags;
import chat.cluster.room.RoomEvent;
import chat.projections.status.ProjectionStatusRegistry;
import com.typesafe.config.Config;
import java.time.Duration;
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
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * The room read tables, one exactly-once projection per room slice, spread over the cluster. Busy
 * rooms produce many small events: they are applied in groups ({@code chat.read-side.room-group-*}),
 * each group and its offset in one transaction.
 */
public final class RoomReadProjection {

  public static final String NAME = "room-read";

  private RoomReadProjection() {}

  /** Up to {@code size} envelopes, or those that arrived {@code within}, go into one transaction. */
  public record Grouping(int size, Duration within) {

    /** From {@code chat.read-side.room-group-size} and {@code -within}. */
    static Grouping from(Config readSide) {
      return new Grouping(readSide.getInt("room-group-size"), readSide.getDuration("room-group-within"));
    }
  }

  public static void init(ActorSystem<?> system, Supplier<ChatJdbcSession> sessions, int slices, Grouping grouping) {
    List<String> tags = EventTags.all(EventTags.ROOM, slices);
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class, NAME, tags.size(),
        i -> ProjectionBehavior.create(create(system, sessions, tags.get(i),
                EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tags.get(i)), grouping)
            .withStatusObserver(ProjectionStatusRegistry.get(system).<RoomEvent>observer(NAME, tags.get(i)))),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  public static GroupedProjection<Offset, EventEnvelope<RoomEvent>> create(
      ActorSystem<?> system, Supplier<ChatJdbcSession> sessions, String tag,
      SourceProvider<Offset, EventEnvelope<RoomEvent>> source, Grouping grouping) {
    return JdbcProjection.groupedWithin(
            ProjectionId.of(NAME, tag), source, sessions, RoomReadProjectionHandler::new, system)
        .withGroup(grouping.size(), grouping.within());
  }
}
