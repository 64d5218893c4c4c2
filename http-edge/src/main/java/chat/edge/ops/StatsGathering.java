package chat.edge.ops;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Asks every node for its figures at once and waits at most a timeout: one slow or unreachable
 * node shows as no answer instead of stalling the view.
 */
public final class StatsGathering {

  private StatsGathering() {}

  /**
   * Completes within about {@code timeout} with an entry per node, in the order given: its answer,
   * or null when the probe failed or did not answer in time.
   */
  public static <K, V> CompletionStage<Map<K, V>> gather(
      Collection<K> nodes, Function<K, CompletionStage<V>> probe, Duration timeout) {
    Map<K, CompletableFuture<V>> asks = new LinkedHashMap<>();
    for (K node : nodes) {
      CompletableFuture<V> answer;
      try {
        answer = probe.apply(node).toCompletableFuture();
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      asks.put(node, answer.exceptionally(failure -> null)
          .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS));
    }
    return CompletableFuture.allOf(asks.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
      Map<K, V> answers = new LinkedHashMap<>();
      asks.forEach((node, answer) -> answers.put(node, answer.join()));
      return answers;
    });
  }
}
