package chat.projections.kafka;

import chat.projections.kafka.KafkaRecords.Record;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.pekko.Done;
import org.apache.pekko.kafka.javadsl.SendProducer;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Sends each published event of one projection instance to Kafka, one at a time so the events of
 * a key keep their order. A failed send fails the envelope: the projection restarts with backoff
 * from its last stored offset, so nothing is lost and some records may be sent twice (consumers
 * drop them by eventId).
 */
final class PublishingHandler<E> extends Handler<EventEnvelope<E>> {

  /** The record an event becomes, if it is published. */
  @FunctionalInterface
  interface Mapping<E> {
    Optional<Record> apply(String persistenceId, long sequenceNr, E event);
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
    Optional<Record> record = mapping.apply(envelope.persistenceId(), envelope.sequenceNr(), envelope.event());
    if (record.isEmpty()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    Record r = record.get();
    return topics.ensureCreated()
        .thenCompose(created -> producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value())))
        .thenApply(metadata -> Done.getInstance());
  }
}
