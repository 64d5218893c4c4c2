package chat.cluster.live;

import chat.cluster.CborSerializable;
import chat.cluster.room.Message;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * What room and user entities push to the connection hub of each node that holds live
 * connections for them. Nothing here is stored: a hub that misses something repairs it (message
 * gaps are refilled from history by seq) or it is simply gone (typing, presence, room notices).
 */
public sealed interface LiveFeed extends CborSerializable {

  /** A message the room just made durable; sent once per hub, which fans it out locally. */
  record MessagePosted(Message message) implements LiveFeed {}

  /**
   * A room's entity started (a first use, a move to another node, a restart) and knows no hub:
   * published on {@link #entityStarts()}, so the hubs with subscribers to it watch it again at once.
   */
  record RoomStarted(String roomId) implements LiveFeed {}

  /**
   * The same for a user's entity: the hubs holding the user's connections count them to it again
   * at once, so that no notice for the user is lost until their next round.
   */
  record UserStarted(String userId) implements LiveFeed {}

  /** Answer to a hub's watch: the room's newest seq, so subscribers can see what they missed. */
  record RoomWatched(String roomId, long lastSeq) implements LiveFeed {}

  record Typing(String roomId, String userId) implements LiveFeed {}

  /** The user left the room: their subscriptions to it end. */
  record MemberLeft(String roomId, String userId) implements LiveFeed {}

  /** For every connection of {@code userId} on the hub's node. */
  record ToUser(String userId, Notice notice) implements LiveFeed {}

  /** A field of this type names its concrete record, so a notice can cross to another node. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Presence.class, name = "presence"),
      @JsonSubTypes.Type(value = RoomChanged.class, name = "room")
  })
  sealed interface Notice extends CborSerializable {}

  /** A friend's first connection opened, or last connection closed. */
  record Presence(String userId, boolean online) implements Notice {}

  /** {@code event} is created, joined or left. */
  record RoomChanged(String roomId, String event, String userId) implements Notice {}

  /** The cluster-wide topic of {@link RoomStarted} and {@link UserStarted}; each node runs one instance of it. */
  static Behavior<Topic.Command<LiveFeed>> entityStarts() {
    return Topic.create(LiveFeed.class, "entity-starts");
  }
}
