package chat.edge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MessageRatesTest {

  private static final double[] BOUNDS = {0.001, 0.01, 0.1};
  private static final long SECOND = 1_000_000_000L;

  private final MessageRates rates = new MessageRates(Duration.ofSeconds(10), BOUNDS);

  private static MessageRates.Sample at(long seconds, long in, long out, long... latencyCounts) {
    return new MessageRates.Sample(seconds * SECOND, in, out, latencyCounts);
  }

  @Test
  void ratesAreOverTheWindowOnly() {
    rates.add(at(0, 0, 0, 0, 0, 0, 0));
    assertEquals(0, rates.inPerSecond());
    assertNull(rates.persistP99Millis());

    // A burst in the first seconds, then 5 in and 15 out per second.
    rates.add(at(1, 1000, 1000, 0, 0, 0, 0));
    for (int s = 2; s <= 21; s++) {
      rates.add(at(s, 1000 + 5L * (s - 1), 1000 + 15L * (s - 1), 0, 0, 0, 0));
    }
    assertEquals(5, rates.inPerSecond(), 1e-9);
    assertEquals(15, rates.outPerSecond(), 1e-9);
  }

  @Test
  void p99IsTheBoundOfTheBucketHoldingIt() {
    rates.add(at(0, 0, 0, 5, 0, 0, 0));
    // 98 fast sends and 2 slow ones in the window: the 99th is slow.
    rates.add(at(1, 100, 0, 5 + 98, 0, 2, 0));
    assertEquals(100, rates.persistP99Millis(), 1e-9);

    // Slower than every bound: the largest bound.
    rates.add(at(2, 300, 0, 103, 0, 2, 200));
    assertEquals(100, rates.persistP99Millis(), 1e-9);
  }

  @Test
  void p99OfOnlyFastSendsIsTheFirstBound() {
    rates.add(at(0, 0, 0, 0, 0, 0, 0));
    rates.add(at(1, 50, 0, 50, 0, 0, 0));
    assertEquals(1, rates.persistP99Millis(), 1e-9);
  }
}
