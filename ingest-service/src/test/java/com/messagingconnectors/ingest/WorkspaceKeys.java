package com.messagingconnectors.ingest;

import com.messagingconnectors.config.auth.ApiKeys;
import com.messagingconnectors.config.model.ApiKeyRecord;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.store.ConfigWriter;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.testsupport.TestInfrastructure;
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
        try (var writer = new ConfigWriter(TestInfrastructure.bootstrapServers(), Topics.CONNECTORS_CONFIG,
                "ingest-test-" + UUID.randomUUID())) {
            writer.write(new ConfigKey(ConfigKey.API_KEY, workspace, keyId), new ApiKeyRecord(keyId, workspace,
                    "test", ApiKeys.sha256Hex(key), ApiKeys.displayPrefix(key), Instant.now(), null,
                    scopes.length == 0 ? List.of("events:write") : List.of(scopes)));
        }
        return key;
    }
}
