package chat.edge.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyedBucketsTest {

  private final AtomicLong now = new AtomicLong();
  private final KeyedBuckets buckets = new KeyedBuckets(2, 3, now::get);

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }

  @Test
  void aBurstThenTheRateAndEachKeyOnItsOwn() {
    for (int i = 0; i < 3; i++) {
      assertEquals(Optional.empty(), buckets.take("alice"), "burst " + i);
    }
    assertEquals(Optional.of(Duration.ofMillis(500)), buckets.take("alice"), "one more is half a second away");
    assertEquals(Optional.empty(), buckets.take("bob"), "another key is not touched");
    advance(Duration.ofMillis(500));
    assertEquals(Optional.empty(), buckets.take("alice"));
    assertTrue(buckets.take("alice").isPresent());
    advance(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      assertEquals(Optional.empty(), buckets.take("alice"), "refilled to the burst, no more");
    }
    assertTrue(buckets.take("alice").isPresent());
  }

  @Test
  void checkingTakesNothing() {
    assertEquals(Optional.empty(), buckets.check("alice"), "an unknown key may act");
    for (int i = 0; i < 10; i++) {
      assertEquals(Optional.empty(), buckets.check("alice"));
    }
    buckets.take("alice");
    buckets.take("alice");
    buckets.take("alice");
    assertEquals(Optional.of(Duration.ofMillis(500)), buckets.check("alice"));
    assertEquals(Optional.of(Duration.ofMillis(500)), buckets.check("alice"));
  }

  @Test
  void refilledBucketsAreSweptWhenManyKeysAreHeldAndBusyOnesKept() {
    buckets.take("busy");
    buckets.take("busy");
    buckets.take("busy");
    for (int i = 0; i <= KeyedBuckets.SWEEP_ABOVE; i++) {
      buckets.take("key-" + i);
    }
    advance(Duration.ofMillis(600));
    buckets.take("one more");
    assertEquals(2, buckets.size(), "every bucket that refilled is gone");
    // The busy one kept its count: 1.2 tokens, not a fresh 3.
    assertEquals(Optional.empty(), buckets.take("busy"));
    assertTrue(buckets.take("busy").isPresent(), "a bucket in use survives the sweep");
  }
}
