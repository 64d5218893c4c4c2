package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.bench.LatencyRecorder.Latencies;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

  private static final long MS = 1_000_000;

  @Test
  void nearestRankPercentilesOfOneToHundredMilliseconds() {
    LatencyRecorder recorder = new LatencyRecorder();
    List<Long> values = new ArrayList<>();
    for (long i = 1; i <= 100; i++) {
      values.add(i * MS);
    }
    Collections.shuffle(values);
    values.forEach(recorder::record);

    Latencies l = recorder.summary();
    assertEquals(100, l.count());
    assertEquals(50.0, l.p50());
    assertEquals(95.0, l.p95());
    assertEquals(99.0, l.p99());
    assertEquals(100.0, l.max());
  }

  @Test
  void aSingleValueIsEveryPercentile() {
    LatencyRecorder recorder = new LatencyRecorder();
    recorder.record(7 * MS);
    Latencies l = recorder.summary();
    assertEquals(7.0, l.p50());
    assertEquals(7.0, l.p99());
    assertEquals(7.0, l.max());
  }

  @Test
  void theTailIsNotAveragedAway() {
    LatencyRecorder recorder = new LatencyRecorder();
    for (int i = 0; i < 999; i++) {
      recorder.record(MS);
    }
    recorder.record(500 * MS);
    Latencies l = recorder.summary();
    assertEquals(1.0, l.p99(), "the 990th of 1000 values");
    assertEquals(500.0, l.max());
  }

  @Test
  void nothingRecordedIsNotZero() {
    Latencies l = new LatencyRecorder().summary();
    assertEquals(0, l.count());
    assertTrue(Double.isNaN(l.p50()) && Double.isNaN(l.max()));
  }
}
