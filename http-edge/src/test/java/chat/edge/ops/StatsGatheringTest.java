package chat.edge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StatsGatheringTest {

  private static final Duration TIMEOUT = Duration.ofMillis(200);

  private static CompletionStage<String> probe(String node) {
    return switch (node) {
      case "answers:1" -> CompletableFuture.completedFuture("figures of 1");
      case "fails:2" -> CompletableFuture.failedFuture(new IllegalStateException("no stats actor"));
      case "throws:4" -> throw new IllegalArgumentException("cannot even ask");
      default -> new CompletableFuture<>(); // never replies
    };
  }

  @Test
  void aNodeThatNeverRepliesShowsAsNoAnswerWhileTheOthersShowTheirs() throws Exception {
    Map<String, String> answers = StatsGathering.gather(
            List.of("answers:1", "fails:2", "silent:3", "throws:4"), StatsGatheringTest::probe, TIMEOUT)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(List.of("answers:1", "fails:2", "silent:3", "throws:4"), List.copyOf(answers.keySet()));
    assertEquals("figures of 1", answers.get("answers:1"));
    assertNull(answers.get("fails:2"));
    assertNull(answers.get("silent:3"));
    assertNull(answers.get("throws:4"));
  }

  @Test
  void noNodesIsAnEmptyAnswer() throws Exception {
    assertEquals(Map.of(), StatsGathering.gather(List.<String>of(), StatsGatheringTest::probe, TIMEOUT)
        .toCompletableFuture().get(10, TimeUnit.SECONDS));
  }
}
