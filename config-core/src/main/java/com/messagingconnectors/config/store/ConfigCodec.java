package com.messagingconnectors.config.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.json.Json;
import com.messagingconnectors.config.model.ApiKeyRecord;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The value format of connectors.config: JSON documents, one type per key kind (see docs/decisions). Readers ignore
 * fields they don't know, so a newer writer never breaks an older reader. An integration's channels are plain JSON
 * objects: their type is the one of the integration's kind.
 */
public final class ConfigCodec {
    // java.time is built into Jackson 3 (Jackson 2 needed the jsr310 module); dates as ISO-8601 text
    private static final ObjectMapper JSON = Json.builder()
            .addModule(new SimpleModule().setDeserializerModifier(new ChannelsByKind()))
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private ConfigCodec() {
    }

    public static byte[] encode(Object record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (JacksonException e) {
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        }
    }

    /** Jackson 3's exceptions are unchecked; a value that cannot be read is an IOException here, as it was. */
    public static <T> T decode(byte[] value, Class<T> type) throws IOException {
        try {
            return JSON.readValue(value, type);
        } catch (JacksonException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Decodes a value by the kind in its key; unknown kinds (from a newer writer) decode to null and are skipped. */
    public static Object decode(ConfigKey key, byte[] value) throws IOException {
        return switch (key.kind()) {
            case ConfigKey.INTEGRATION -> decode(value, IntegrationConfig.class);
            case ConfigKey.API_KEY -> decode(value, ApiKeyRecord.class);
            default -> null;
        };
    }

    /** Reads an integration's channels as the channel record of its kind. */
    private static final class ChannelsByKind extends ValueDeserializerModifier {
        @Override
        public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription.Supplier description,
                                                       ValueDeserializer<?> deserializer) {
            if (description.getBeanClass() != IntegrationConfig.class) {
                return deserializer;
            }
            return new ChannelsTyped(deserializer);
        }
    }

    private static final class ChannelsTyped extends DelegatingDeserializer {
        ChannelsTyped(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new ChannelsTyped(delegate);
        }

        @Override
        public IntegrationConfig deserialize(JsonParser parser, DeserializationContext context) {
            ObjectNode tree = parser.readValueAsTree();
            JsonNode channels = tree.remove("channels");
            IntegrationConfig integration;
            try (JsonParser rest = tree.traverse(context)) {
                rest.nextToken();
                integration = (IntegrationConfig) _delegatee.deserialize(rest, context);
            }
            if (channels == null || !channels.isArray() || integration.kind() == null) {
                return integration;
            }
            Class<? extends ChannelConfig> type = integration.kind().descriptor().channelType();
            List<ChannelConfig> typed = new ArrayList<>();
            for (JsonNode channel : channels) {
                typed.add(context.readTreeAsValue(channel, type));
            }
            return integration.withChannels(typed);
        }
    }
}
