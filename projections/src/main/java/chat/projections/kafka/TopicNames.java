package chat.projections.kafka;

import com.typesafe.config.Config;
import java.util.List;

/** The three topics the chat publishes to. */
public record TopicNames(String messages, String rooms, String users) {

  public static final TopicNames DEFAULT = new TopicNames("chat.messages", "chat.rooms", "chat.users");

  /** From {@code chat.kafka.topics}. */
  public static TopicNames fromConfig(Config topics) {
    return new TopicNames(topics.getString("messages"), topics.getString("rooms"), topics.getString("users"));
  }

  public List<String> all() {
    return List.of(messages, rooms, users);
  }
}
