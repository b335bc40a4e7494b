package com.messagingconnectors.integration.slack;

import com.messagingconnectors.config.kinds.SlackKind;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.store.ConfigCodec;
import com.messagingconnectors.config.store.TopicFollower;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every Slack integration across all workspaces, followed live from connectors.config: Slack's uninstall events name
 * only the Slack team, and token refresh walks all installations, while ConfigView answers per workspace.
 * (If ConfigView gains an "all integrations" accessor this class reduces to a filter over it.)
 */
@Component
class SlackInstallations implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(SlackInstallations.class);
    private final Map<String, IntegrationConfig> byKey = new ConcurrentHashMap<>();
    private final TopicFollower follower;

    SlackInstallations(@Value("${connectors.kafka.bootstrap-servers}") String bootstrap,
                       @Value("${connectors.config.topic}") String topic) {
        this.follower = new TopicFollower(bootstrap, topic, this::apply, () -> {
        }).start();
    }

    /** Slack integrations connected to this Slack team (usually one). */
    List<IntegrationConfig> byTeam(String teamId) {
        return byKey.values().stream().filter(i -> teamId != null && teamId.equals(i.properties().get(SlackKind.TEAM_ID)))
                .toList();
    }

    List<IntegrationConfig> all() {
        return List.copyOf(byKey.values());
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            ConfigKey key = ConfigKey.parse(record.key());
            if (!ConfigKey.INTEGRATION.equals(key.kind())) {
                return;
            }
            Object value = record.value() == null ? null : ConfigCodec.decode(key, record.value());
            if (value instanceof IntegrationConfig integration && integration.kind() == IntegrationKind.slack) {
                byKey.put(record.key(), integration);
            } else {
                byKey.remove(record.key());
            }
        } catch (Exception e) {
            log.warn("skipping unreadable connectors.config record at offset {}: {}", record.offset(), e.getMessage());
        }
    }

    @Override
    public void destroy() {
        follower.close();
    }
}
