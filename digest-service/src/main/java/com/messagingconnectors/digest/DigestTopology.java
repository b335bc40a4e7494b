package com.messagingconnectors.digest;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;
import java.util.Set;

/**
 * The digest stage's topology: notifications.digest → {@link DigestProcessor} (state stores {@code digest-groups},
 * {@code digest-pending}, {@code digest-latest} and {@code digest-caps}, all persistent with changelog topics) → each
 * record to the topic it names (notifications.&lt;channel&gt; or notifications.digest.dlq). Used by the Spring Cloud Stream function and by tests.
 */
public final class DigestTopology {
    private DigestTopology() {
    }

    public static void attach(KStream<byte[], byte[]> input, DigestSettings settings, Map<String, ?> serdeConfig,
                              String applicationId) {
        input.process(new Supplier(settings, serdeConfig, applicationId), Named.as("digest"))
                .to((key, value, context) -> value.topic(), Produced.with(Serdes.ByteArray(), Outgoing.SERDE));
    }

    private record Supplier(DigestSettings settings, Map<String, ?> serdeConfig, String applicationId)
            implements ProcessorSupplier<byte[], byte[], byte[], Outgoing> {
        @Override
        public Processor<byte[], byte[], byte[], Outgoing> get() {
            return new DigestProcessor(settings, serdeConfig, applicationId);
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            // cached: a group's header and latest notification written many times within a commit interval reach
            // the changelog once (the caches flush on every commit, in its transaction)
            return Set.of(
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DigestProcessor.GROUPS),
                            Serdes.String(), JsonSerde.of(GroupState.class)).withCachingEnabled(),
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DigestProcessor.PENDING),
                            Serdes.String(), Serdes.String()).withCachingEnabled(),
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DigestProcessor.LATEST),
                            Serdes.String(), Serdes.ByteArray()).withCachingEnabled(),
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DigestProcessor.CAPS),
                            Serdes.String(), JsonSerde.of(CapState.class)).withCachingEnabled());
        }
    }
}
