package chat.edge.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void writesFamiliesAndSamplesWithLabelsInOrder() {
    String text = new PrometheusText()
        .family("chat_x_total", "counter", "An example.\nSecond line.")
        .sample("chat_x_total", PrometheusText.labels("projection", "room-read", "slice", "room-0"), 3)
        .toString();
    assertEquals("""
        # HELP chat_x_total An example.\\nSecond line.
        # TYPE chat_x_total counter
        chat_x_total{projection="room-read",slice="room-0"} 3
        """, text);
  }

  @Test
  void escapesLabelValues() {
    String text = new PrometheusText().sample("m", PrometheusText.labels("l", "a\"b\\c\nd"), 1).toString();
    assertEquals("m{l=\"a\\\"b\\\\c\\nd\"} 1\n", text);
  }

  @Test
  void writesNumbersPlainly() {
    assertEquals("12", PrometheusText.number(12));
    assertEquals("-1", PrometheusText.number(-1));
    assertEquals("0.0025", PrometheusText.number(0.0025));
    assertEquals("1795560623.382", PrometheusText.number(1.795560623382E9));
    assertEquals("+Inf", PrometheusText.number(Double.POSITIVE_INFINITY));
    assertEquals("NaN", PrometheusText.number(Double.NaN));
  }

  @Test
  void theLatencyHistogramIsCumulative() {
    EdgeMetrics metrics = new EdgeMetrics();
    metrics.sent(2_000_000);      // 2 ms
    metrics.sent(40_000_000);     // 40 ms
    metrics.sent(20_000_000_000L); // 20 s: only in +Inf
    PrometheusText out = new PrometheusText();
    metrics.render(out);
    String text = out.toString();
    assertTrue(text.contains("chat_persist_latency_seconds_bucket{le=\"0.001\"} 0\n"), text);
    assertTrue(text.contains("chat_persist_latency_seconds_bucket{le=\"0.0025\"} 1\n"), text);
    assertTrue(text.contains("chat_persist_latency_seconds_bucket{le=\"0.05\"} 2\n"), text);
    assertTrue(text.contains("chat_persist_latency_seconds_bucket{le=\"10\"} 2\n"), text);
    assertTrue(text.contains("chat_persist_latency_seconds_bucket{le=\"+Inf\"} 3\n"), text);
    assertTrue(text.contains("chat_persist_latency_seconds_count 3\n"), text);
    assertTrue(text.contains("chat_messages_sent_total 3\n"), text);
  }
}
