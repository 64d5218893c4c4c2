package chat.projections.kafka;

import chat.projections.kafka.KafkaRecords.Record;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.pekko.Done;
import org.apache.pekko.kafka.ProducerMessage;
import org.apache.pekko.kafka.javadsl.SendProducer;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Sends the records of each published event of one projection instance to Kafka, one envelope at
 * a time. An envelope's records go as one multi-message, handed to the producer in order and
 * awaited together; the idempotent producer keeps that order within a partition. A failed send fails the envelope: the
 * projection restarts with backoff from its last stored offset, so nothing is lost and some
 * records may be sent twice (consumers drop them by eventId).
 */
final class PublishingHandler<E> extends Handler<EventEnvelope<E>> {

  /** The records an event becomes, in order; none when it is not published. */
  @FunctionalInterface
  interface Mapping<E> {
    List<Record> apply(String persistenceId, long sequenceNr, E event);
  }

  private final SendProducer<String, String> producer;
  private final KafkaTopics topics;
  private final Mapping<E> mapping;

  PublishingHandler(SendProducer<String, String> producer, KafkaTopics topics, Mapping<E> mapping) {
    this.producer = producer;
    this.topics = topics;
    this.mapping = mapping;
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<E> envelope) {
    List<Record> records = mapping.apply(envelope.persistenceId(), envelope.sequenceNr(), envelope.event());
    if (records.isEmpty()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    List<ProducerRecord<String, String>> sent =
        records.stream().map(r -> new ProducerRecord<>(r.topic(), r.key(), r.value())).toList();
    return topics.ensureCreated()
        .thenCompose(created -> producer.sendEnvelope(ProducerMessage.multi(sent)))
        .thenApply(results -> Done.getInstance());
  }
}
