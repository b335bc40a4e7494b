package com.messagingconnectors.config.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
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
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule().setDeserializerModifier(new ChannelsByKind()))
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

    /** Reads an integration's channels as the channel record of its kind. */
    private static final class ChannelsByKind extends BeanDeserializerModifier {
        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                      JsonDeserializer<?> deserializer) {
            if (description.getBeanClass() != IntegrationConfig.class) {
                return deserializer;
            }
            return new ChannelsTyped(deserializer);
        }
    }

    private static final class ChannelsTyped extends DelegatingDeserializer {
        ChannelsTyped(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new ChannelsTyped(delegate);
        }

        @Override
        public IntegrationConfig deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            ObjectNode tree = parser.readValueAsTree();
            JsonNode channels = tree.remove("channels");
            IntegrationConfig integration;
            try (JsonParser rest = tree.traverse(parser.getCodec())) {
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
