package chat.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The {@code chat.messages} topic, read from the beginning, against every ack: each acknowledged
 * message must have been published under the seq its sender was told. Delivery to Kafka is
 * at-least-once, so a record may come more than once (repeated: copies of an eventId already
 * read); one (room, seq) published as two different messages (conflicting) must never happen.
 */
record KafkaTopicCheck(long acked, long present, long missing, long otherMessageAtSeq, long records, long repeated,
    long conflicting) {

  static final String TOPIC = "chat.messages";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one record says was posted at its (room, seq). */
  private record Published(String clientMsgId, String senderId, String text) {}

  /** Reads until nothing acked is missing or {@code deadline} passed: publishing trails the journal. */
  static KafkaTopicCheck await(String bootstrapServers, Ledger ledger, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<String, Integer> copies = new HashMap<>(); // eventId → records
      Map<String, Published> atSeq = new HashMap<>(); // roomId/seq → the first message published there
      Set<String> conflicting = new HashSet<>(); // roomId/seq published as two different messages
      long records = 0;
      while (true) {
        ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, String> record : batch) {
          records++;
          JsonNode v = parse(record.value());
          copies.merge(v.path("eventId").asText(), 1, Integer::sum);
          String at = v.path("roomId").asText() + "/" + v.path("seq").asLong();
          Published p = new Published(v.path("clientMsgId").asText(), v.path("senderId").asText(),
              v.path("text").asText());
          Published first = atSeq.putIfAbsent(at, p);
          if (first != null && !first.equals(p)) {
            conflicting.add(at);
          }
        }
        // Conclude once caught up with the topic and nothing is missing, or at the deadline with
        // what was published by then (a topic still growing then counts its missing messages).
        boolean pastDeadline = System.nanoTime() > end;
        if (batch.isEmpty() || pastDeadline) {
          KafkaTopicCheck check = against(ledger, atSeq, records, records - copies.size(), conflicting.size());
          if (check.missing() == 0 || pastDeadline) {
            return check;
          }
        }
      }
    }
  }

  private static KafkaTopicCheck against(Ledger ledger, Map<String, Published> atSeq, long records, long repeated,
      long conflicting) {
    Map<String, String> clientMsgIdAt = new HashMap<>();
    atSeq.forEach((at, p) -> clientMsgIdAt.put(at, p.clientMsgId()));
    Ledger.Copy copy = ledger.against(clientMsgIdAt);
    return new KafkaTopicCheck(copy.acked(), copy.present(), copy.missing(), copy.otherMessageAtSeq(), records,
        repeated, conflicting);
  }

  private static JsonNode parse(String value) {
    try {
      return JSON.readTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException("a record of " + TOPIC + " that is not JSON: " + value, e);
    }
  }
}
