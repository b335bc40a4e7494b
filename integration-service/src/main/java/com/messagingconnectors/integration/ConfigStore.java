package com.messagingconnectors.integration;

import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.store.ConfigStoreUnavailableException;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.config.store.ConfigWriter;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Writes a connectors.config record and returns only once this instance's view shows it, so the API reads its own
 * writes (a GET right after a PUT shows the change).
 */
@Component
public class ConfigStore {
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);
    private final ConfigView view;
    private final ConfigWriter writer;

    ConfigStore(ConfigView view, ConfigWriter writer) {
        this.view = view;
        this.writer = writer;
    }

    /** Writes {@code record}, or a tombstone when it is null. */
    public void write(ConfigKey key, Object record) {
        RecordMetadata written = writer.write(key, record);
        try {
            if (!view.awaitApplied(written.partition(), written.offset(), VISIBLE_WITHIN)) {
                throw new ConfigStoreUnavailableException("the change was stored but is not visible yet", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigStoreUnavailableException("interrupted while waiting for the change to be visible", e);
        }
    }

    public ConfigView view() {
        return view;
    }
}
