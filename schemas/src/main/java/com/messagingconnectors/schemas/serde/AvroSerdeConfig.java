package com.messagingconnectors.schemas.serde;

import com.messagingconnectors.schemas.registry.RegistrySecurity;
import com.messagingconnectors.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** The configuration keys the serializer and deserializer share; names and meaning as in Confluent's serde. */
public final class AvroSerdeConfig {
    /** Base URL of the schema registry (required), e.g. http://127.0.0.1:8081. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Serializer only: register unknown schemas (default true); when false, the schema must already be there. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Timeout of each registry call in milliseconds (default 5000); this project's addition. */
    public static final String SCHEMA_REGISTRY_TIMEOUT_MS = "schema.registry.timeout.ms";

    /** Confluent wire format: magic byte 0, 4-byte big-endian schema id, then the Avro binary body. */
    static final byte MAGIC_BYTE = 0;
    static final int HEADER_LENGTH = 5;

    private AvroSerdeConfig() {
    }

    static SchemaRegistryClient client(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException("Missing required configuration \"" + SCHEMA_REGISTRY_URL
                    + "\" (the schema registry base URL, e.g. http://127.0.0.1:8081)");
        }
        Object timeout = configs.get(SCHEMA_REGISTRY_TIMEOUT_MS);
        Duration requestTimeout = timeout == null
                ? SchemaRegistryClient.DEFAULT_TIMEOUT
                : Duration.ofMillis(Long.parseLong(timeout.toString().trim()));
        // credentials and TLS: the serde's own settings (Confluent names), else the environment
        return new SchemaRegistryClient(url.toString(), requestTimeout, RegistrySecurity.from(configs, System.getenv()));
    }

    static boolean booleanValue(Map<String, ?> configs, String key, boolean defaultValue) {
        Object value = configs.get(key);
        return value == null ? defaultValue : Boolean.parseBoolean(value.toString().trim());
    }

    /** Topic-name strategy: {@code <topic>-key} or {@code <topic>-value}. */
    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
