package com.messagingconnectors.config.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.testsupport.TestInfrastructure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

class GroupMembershipTest {
    /** Far below the 45 s session timeout a dynamic member's replacement waits for after an unclean stop. */
    private static final Duration AT_ONCE = Duration.ofSeconds(15);

    @Test
    void classicProtocolAndDynamicMemberByDefault() {
        assertThat(GroupMembership.settings("router-service", Map.of())).isEqualTo(Map.of(
                "group.id", "router-service", "group.protocol", "classic"));
    }

    @Test
    void staticMemberWhenTheInstanceHasAnId() {
        assertThat(GroupMembership.settings("webhook-sender", Map.of("CONNECTORS_INSTANCE_ID", "webhook-sender-7d9f-x2k")))
                .isEqualTo(Map.of("group.id", "webhook-sender", "group.protocol", "classic",
                        "group.instance.id", "webhook-sender-7d9f-x2k"));
        assertThat(GroupMembership.settings("g", Map.of("CONNECTORS_GROUP_PROTOCOL", "consumer")))
                .containsEntry("group.protocol", "consumer");
    }

    @Test
    void refusesWhatTheBrokerWouldRefuse() {
        assertThatThrownBy(() -> GroupMembership.settings("g", Map.of("CONNECTORS_INSTANCE_ID", "pod name")))
                .hasMessageContaining("CONNECTORS_INSTANCE_ID");
        assertThatThrownBy(() -> GroupMembership.settings("g", Map.of("CONNECTORS_GROUP_PROTOCOL", "eager")))
                .hasMessageContaining("consumer or classic");
    }

    /** The restart after an unclean stop: the old member was killed and never left; its successor takes over. */
    @Test
    void aStaticMemberRestartedAfterSigkillGetsItsPartitionsAtOnce() throws Exception {
        Duration took = restartAfterKill("classic", "instance-0");
        assertThat(took).isLessThan(AT_ONCE);
    }

    /** A graceful stop leaves the group, static or not: the remaining member gets everything at once. */
    @Test
    void aStaticMemberClosedGracefullyLeavesItsPartitionsToTheOthers() {
        String topic = topic();
        String group = "group-" + UUID.randomUUID();
        KafkaConsumer<byte[], byte[]> leaving = member(group, Map.of("CONNECTORS_INSTANCE_ID", "leaving"));
        GroupAssignment leavingHeld = join(leaving, topic);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            leaving.poll(Duration.ofMillis(100));
            assertThat(leavingHeld.partitionCount()).isEqualTo(3);
        });
        try (KafkaConsumer<byte[], byte[]> staying = member(group, Map.of("CONNECTORS_INSTANCE_ID", "staying"))) {
            GroupAssignment stayingHeld = join(staying, topic);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                leaving.poll(Duration.ofMillis(50));
                staying.poll(Duration.ofMillis(50));
                assertThat(stayingHeld.joined()).isTrue();
                assertThat(leavingHeld.partitionCount() + stayingHeld.partitionCount()).isEqualTo(3);
            });
            leaving.close(GroupMembership.close(Duration.ofSeconds(5)));
            long closed = System.nanoTime();
            await().atMost(AT_ONCE).untilAsserted(() -> {
                staying.poll(Duration.ofMillis(100));
                assertThat(stayingHeld.partitionCount()).isEqualTo(3);
            });
            assertThat(Duration.ofNanos(System.nanoTime() - closed)).isLessThan(AT_ONCE);
        }
    }

    /**
     * How long a restarted member waits for its partitions after its predecessor was killed, for each protocol and
     * membership: the figures behind docs/decisions/0018. Slow (dynamic members wait for the session timeout), so
     * only with -Dmembership.compare=true.
     */
    @Test
    void compareRejoinAfterSigkill() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("membership.compare"));
        for (String protocol : List.of("classic", "consumer")) {
            for (String instanceId : List.of("instance-0", "")) {
                String result;
                try {
                    result = restartAfterKill(protocol, instanceId).toMillis() + " ms";
                } catch (Exception | AssertionError e) {
                    result = "failed: " + e;
                }
                System.out.printf("rejoin after SIGKILL: protocol=%s %s member: %s%n", protocol,
                        instanceId.isEmpty() ? "dynamic" : "static", result);
            }
        }
    }

    /** Starts a member in a JVM of its own, kills it with SIGKILL, and times how long its successor waits. */
    private static Duration restartAfterKill(String protocol, String instanceId) throws Exception {
        String topic = topic();
        String group = "group-" + UUID.randomUUID();
        Process killed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GroupMemberProcess.class.getName(),
                TestInfrastructure.bootstrapServers(), group, topic, instanceId, protocol)
                .redirectErrorStream(true).start();
        try {
            CompletableFuture<Void> holdsAll = CompletableFuture.runAsync(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(killed.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null && !line.equals("assigned 3")) {
                        // the member's log
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            holdsAll.get(60, TimeUnit.SECONDS);
        } finally {
            killed.destroyForcibly().waitFor(); // SIGKILL: no leave, no last heartbeat
        }
        long started = System.nanoTime();
        Map<String, String> environment = Map.of("CONNECTORS_INSTANCE_ID", instanceId,
                "CONNECTORS_GROUP_PROTOCOL", protocol);
        try (KafkaConsumer<byte[], byte[]> successor = member(group, environment)) {
            GroupAssignment held = join(successor, topic);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                successor.poll(Duration.ofMillis(100));
                assertThat(held.partitionCount()).isEqualTo(3);
            });
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static String topic() {
        String topic = "membership-" + UUID.randomUUID();
        TestInfrastructure.createTopics(3, topic);
        return topic;
    }

    private static KafkaConsumer<byte[], byte[]> member(String group, Map<String, String> environment) {
        return GroupMemberProcess.member(TestInfrastructure.bootstrapServers(), group, environment);
    }

    private static GroupAssignment join(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return GroupMemberProcess.join(consumer, topic, held -> { });
    }
}
