package com.messagingconnectors.schemas.serde;

import com.messagingconnectors.schemas.AvroClassTrust;
import com.messagingconnectors.schemas.registry.SchemaRegistryClient;
import com.messagingconnectors.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing generated Avro records in the Confluent wire format, drop-in for Confluent's
 * {@code KafkaAvroSerializer}: the schema is registered (or, with {@code auto.register.schemas=false}, looked up)
 * under the topic-name subject {@code <topic>-value} / {@code <topic>-key}. Configure with
 * {@code schema.registry.url}. Thread-safe.
 */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    static {
        AvroClassTrust.ensure();
    }

    private SchemaRegistryClient registry;
    private boolean autoRegister = true;
    private boolean isKey;
    private final Map<Schema, SpecificDatumWriter<T>> writers = new ConcurrentHashMap<>();

    /** For Kafka and Spring, which configure the instance through {@link #configure}. */
    public AvroSerializer() {
    }

    /** For code that builds its own producer: already configured. */
    public AvroSerializer(SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = registry;
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = AvroSerdeConfig.client(configs);
        this.autoRegister = AvroSerdeConfig.booleanValue(configs, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, true);
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Schema schema = record.getSchema();
        int schemaId = schemaId(topic, schema);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(AvroSerdeConfig.MAGIC_BYTE);
            out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writerFor(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + schema.getFullName() + " as Avro: " + e, e);
        }
    }

    /**
     * The registry id of the schema for this topic (registered when auto-registering), cached by the registry
     * client: calling it before the first record moves the registry round trip out of the first request.
     */
    public int schemaId(String topic, Schema schema) {
        if (registry == null) {
            throw new SerializationException("AvroSerializer is not configured: set "
                    + AvroSerdeConfig.SCHEMA_REGISTRY_URL);
        }
        String subject = AvroSerdeConfig.subject(topic, isKey);
        try {
            return autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot serialize " + schema.getFullName() + " for subject "
                    + subject + ": " + e.getMessage(), e);
        }
    }

    private SpecificDatumWriter<T> writerFor(Schema schema) {
        // The generated class's model carries its logical-type conversions (e.g. Instant <-> timestamp-millis).
        return writers.computeIfAbsent(schema, s -> new SpecificDatumWriter<>(s, SpecificData.getForSchema(s)));
    }
}
