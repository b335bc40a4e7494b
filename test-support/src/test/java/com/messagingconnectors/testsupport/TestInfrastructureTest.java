package com.messagingconnectors.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class TestInfrastructureTest {

    @Test
    void sameBrokerForTheWholeJvm() {
        assertThat(TestInfrastructure.bootstrapServers()).isNotBlank().isEqualTo(TestInfrastructure.bootstrapServers());
    }

    @Test
    void createTopicsIsIdempotent() throws Exception {
        TestInfrastructure.createTopics(3, "ts.idempotent.a", "ts.idempotent.b");
        TestInfrastructure.createTopics(3, "ts.idempotent.a", "ts.idempotent.b");

        try (Admin admin = Admin.create(TestInfrastructure.adminProperties())) {
            var descriptions = admin.describeTopics(Set.of("ts.idempotent.a", "ts.idempotent.b"))
                    .allTopicNames().get();
            assertThat(descriptions.get("ts.idempotent.a").partitions()).hasSize(3);
            assertThat(descriptions.get("ts.idempotent.b").partitions()).hasSize(3);
        }
    }

    @Test
    void producedRecordsAreConsumed() {
        TestInfrastructure.createTopics(2, "ts.roundtrip");
        try (var producer = new KafkaProducer<String, byte[]>(TestInfrastructure.producerProperties())) {
            producer.send(new ProducerRecord<>("ts.roundtrip", "ws-1", bytes("hello")));
            producer.send(new ProducerRecord<>("ts.roundtrip", "ws-2", bytes("world")));
            producer.flush();
        }

        assertThat(valuesOf(readAll("ts.roundtrip", 2))).containsExactlyInAnyOrder("hello", "world");
    }

    @Test
    void committedTransactionIsVisibleAndAbortedOneIsNot() {
        TestInfrastructure.createTopics(1, "ts.transactions");
        Properties props = TestInfrastructure.producerProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ts-tx-producer");
        try (var producer = new KafkaProducer<String, byte[]>(props)) {
            producer.initTransactions();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("ts.transactions", "k", bytes("aborted")));
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("ts.transactions", "k", bytes("committed-1")));
            producer.send(new ProducerRecord<>("ts.transactions", "k", bytes("committed-2")));
            producer.commitTransaction();
        }

        // read_committed consumer: only the committed transaction's records, in order
        assertThat(valuesOf(readAll("ts.transactions", 2))).containsExactly("committed-1", "committed-2");
    }

    @Test
    void schemaRegistryAnswersOnTheSharedBroker() throws Exception {
        String url = TestInfrastructure.schemaRegistryUrl();

        HttpResponse<String> subjects = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/subjects")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(url).isEqualTo(TestInfrastructure.schemaRegistryUrl()).doesNotEndWith("/");
        assertThat(subjects.statusCode()).isEqualTo(200);
        assertThat(subjects.body()).startsWith("[");
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(TestInfrastructure.consumerProperties())) {
            consumer.subscribe(List.of(topic));
            await().pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
            // one more short poll: nothing beyond what we expect (e.g. no aborted record) may show up
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }

    private static List<String> valuesOf(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
