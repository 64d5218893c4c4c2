package chat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventTagsTest {

  @Test
  void anEntityAlwaysGetsTheSameOneOfTheSliceTags() {
    List<String> all = EventTags.all(EventTags.ROOM, 4);
    assertEquals(List.of("room-0", "room-1", "room-2", "room-3"), all);
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String roomId = UUID.randomUUID().toString();
      Set<String> tags = EventTags.forEntity(EventTags.ROOM, roomId, 4);
      assertEquals(1, tags.size());
      assertTrue(all.containsAll(tags), tags.toString());
      assertEquals(tags, EventTags.forEntity(EventTags.ROOM, roomId, 4));
      used.addAll(tags);
    }
    assertEquals(Set.copyOf(all), used, "200 rooms spread over every slice");
  }

  @Test
  void negativeHashesStillLandInRange() {
    // "polygenelubricants".hashCode() is Integer.MIN_VALUE.
    assertEquals(Set.of("user-0"), EventTags.forEntity(EventTags.USER, "polygenelubricants", 4));
  }
}
