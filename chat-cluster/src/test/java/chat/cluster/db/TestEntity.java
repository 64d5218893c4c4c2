package chat.cluster.db;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

import java.util.Set;

/**
 * Minimal event-sourced actor for persistence tests: events are strings, the state is the events
 * joined by commas (strings use Pekko's built-in serializer, so no serialization setup needed).
 * Snapshots every two events, and tags every event with {@link #TAG}.
 */
final class TestEntity extends EventSourcedBehavior<TestEntity.Command, String, String> {

  static final String TAG = "test-tag";

  sealed interface Command {
  }

  record Append(String value, ActorRef<Done> replyTo) implements Command {
  }

  record Get(ActorRef<String> replyTo) implements Command {
  }

  static Behavior<Command> create(String id) {
    return new TestEntity(PersistenceId.ofUniqueId(id));
  }

  private TestEntity(PersistenceId persistenceId) {
    super(persistenceId);
  }

  @Override
  public String emptyState() {
    return "";
  }

  @Override
  public CommandHandler<Command, String, String> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Append.class, (state, cmd) ->
            Effect().persist(cmd.value()).thenReply(cmd.replyTo(), s -> Done.getInstance()))
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  @Override
  public EventHandler<String, String> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(String.class, (state, event) -> state.isEmpty() ? event : state + "," + event)
        .build();
  }

  @Override
  public Set<String> tagsFor(String event) {
    return Set.of(TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(2, 1);
  }
}
