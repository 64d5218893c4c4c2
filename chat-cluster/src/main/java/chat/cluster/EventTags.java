package chat.cluster;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Entities tag each event with one of N slice tags, so N projection instances can share the work
 * of one entity type. An entity always gets the same slice: changing the number of slices later
 * needs the projections rebuilt from the start.
 */
public final class EventTags {

  public static final String USER = "user";
  public static final String ROOM = "room";

  private EventTags() {}

  public static Set<String> forEntity(String prefix, String entityId, int slices) {
    return Set.of(prefix + "-" + Math.floorMod(entityId.hashCode(), slices));
  }

  /** Every tag of the type, one per slice: what the projection instances consume. */
  public static List<String> all(String prefix, int slices) {
    return IntStream.range(0, slices).mapToObj(slice -> prefix + "-" + slice).toList();
  }
}
