package com.messagingconnectors.ingest;

import static org.awaitility.Awaitility.await;

import com.messagingconnectors.config.auth.ApiKeys;
import com.messagingconnectors.config.model.ApiKeyRecord;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.store.ConfigStoreUnavailableException;
import com.messagingconnectors.config.store.ConfigWriter;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.testsupport.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Workspace API keys written to the real connectors.config, as integration-service would write them. */
final class WorkspaceKeys {
    private WorkspaceKeys() {
    }

    /**
     * Creates the topic if needed, writes a new key for {@code workspace} with {@code scopes} (events:write when none; in this order) and
     * returns the key.
     */
    static String create(String workspace, String keyId, String... scopes) {
        TestInfrastructure.createTopics(1, Topics.CONNECTORS_CONFIG);
        String key = ApiKeys.generate();
        ApiKeyRecord record = new ApiKeyRecord(keyId, workspace, "test", ApiKeys.sha256Hex(key),
                ApiKeys.displayPrefix(key), Instant.now(), null,
                scopes.length == 0 ? List.of("events:write") : List.of(scopes));
        // set-up, not the subject: a transaction on a just-created topic can be refused once by the broker
        // (InvalidTxnStateException); a new writer (a new transactional producer) tries again
        await().atMost(Duration.ofSeconds(30)).ignoreException(ConfigStoreUnavailableException.class).until(() -> {
            try (var writer = new ConfigWriter(TestInfrastructure.bootstrapServers(), Topics.CONNECTORS_CONFIG,
                    "ingest-test-" + UUID.randomUUID())) {
                writer.write(new ConfigKey(ConfigKey.API_KEY, workspace, keyId), record);
                return true;
            }
        });
        return key;
    }
}
