package com.messagingconnectors.config.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.messagingconnectors.config.model.ApiKeyRecord;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The value format of connectors.config: JSON documents, one type per key kind (see docs/decisions). Readers ignore
 * fields they don't know, so a newer writer never breaks an older reader.
 */
public final class ConfigCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private ConfigCodec() {
    }

    public static byte[] encode(Object record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T decode(byte[] value, Class<T> type) throws IOException {
        return JSON.readValue(value, type);
    }

    /** Decodes a value by the kind in its key; unknown kinds (from a newer writer) decode to null and are skipped. */
    public static Object decode(ConfigKey key, byte[] value) throws IOException {
        return switch (key.kind()) {
            case ConfigKey.INTEGRATION -> JSON.readValue(value, IntegrationConfig.class);
            case ConfigKey.API_KEY -> JSON.readValue(value, ApiKeyRecord.class);
            default -> null;
        };
    }
}
