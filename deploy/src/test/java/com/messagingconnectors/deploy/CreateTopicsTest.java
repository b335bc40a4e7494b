package com.messagingconnectors.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import com.messagingconnectors.testsupport.TestInfrastructure;

class CreateTopicsTest {

    @Test
    void createsEveryTopicOnceWithItsPartitionsAndCompaction() throws Exception {
        String servers = TestInfrastructure.bootstrapServers();
        List<NewTopic> plan = CreateTopics.plan(Map.of("NOTIFICATION_PARTITIONS", "4"));

        Set<String> first = CreateTopics.createMissing(servers, plan);
        Set<String> second = CreateTopics.createMissing(servers, plan);

        assertThat(first).contains("platform.events", "platform.events.dlq", "notifications.slack",
                "notifications.teams", "notifications.webhook", "notifications.webhook.digested",
                "notifications.webhook.dlq", "notifications.webhook.retry-1", "notifications.webhook.retry-7",
                "notifications.webhook.delivered", "notifications.digest", "notifications.digest.dlq",
                "connectors.config", "connectors.status", "_schemas");
        assertThat(second).isEmpty();
        try (Admin admin = Admin.create(TestInfrastructure.adminProperties())) {
            var topics = admin.describeTopics(Set.of("platform.events", "notifications.teams",
                    "notifications.teams.digested", "notifications.teams.dlq", "notifications.digest",
                    "notifications.digest.dlq", "connectors.status"))
                    .allTopicNames().get();
            assertThat(topics.get("platform.events").partitions()).hasSize(6);
            assertThat(topics.get("notifications.teams").partitions()).hasSize(4);
            assertThat(topics.get("notifications.teams.digested").partitions()).hasSize(4);
            assertThat(topics.get("notifications.teams.dlq").partitions()).hasSize(1);
            assertThat(topics.get("notifications.digest").partitions()).hasSize(4);
            assertThat(topics.get("notifications.digest.dlq").partitions()).hasSize(1);
            assertThat(topics.get("connectors.status").partitions()).hasSize(3);

            var config = new ConfigResource(ConfigResource.Type.TOPIC, "connectors.config");
            assertThat(admin.describeConfigs(List.of(config)).all().get().get(config)
                    .get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    void planHasTheAlertMessagesTopicCompactedAndDeletedAfterFourteenDays() {
        NewTopic alertMessages = CreateTopics.plan(Map.of()).stream()
                .filter(t -> t.name().equals("connectors.alert-messages")).findFirst().orElseThrow();
        assertThat(alertMessages.numPartitions()).isEqualTo(3);
        assertThat(alertMessages.configs()).containsEntry("cleanup.policy", "compact,delete")
                .containsEntry("retention.ms", "1209600000");
    }

    @Test
    void rejectsANonsensePartitionCount() {
        assertThatThrownBy(() -> CreateTopics.plan(Map.of("DLQ_PARTITIONS", "zero")))
                .hasMessageContaining("DLQ_PARTITIONS must be a positive integer");
    }
}
