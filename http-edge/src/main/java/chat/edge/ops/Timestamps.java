package chat.edge.ops;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The contract's timestamps (ISO-8601 UTC with milliseconds) in what this package hands out. */
final class Timestamps {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  static String of(Instant instant) {
    return FORMAT.format(instant);
  }

  static String ofMillis(long epochMillis) {
    return of(Instant.ofEpochMilli(epochMillis));
  }
}
