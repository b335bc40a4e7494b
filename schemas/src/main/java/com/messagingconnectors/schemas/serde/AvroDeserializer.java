package com.messagingconnectors.schemas.serde;

import com.messagingconnectors.schemas.AvroClassTrust;
import com.messagingconnectors.schemas.registry.SchemaRegistryClient;
import com.messagingconnectors.schemas.registry.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for the Confluent wire format, drop-in for Confluent's {@code KafkaAvroDeserializer} with
 * {@code specific.avro.reader=true}. The writer schema is fetched by the id in the record; the reader schema is
 * the generated class named by the writer schema's full name, so records written with an older (BACKWARD
 * compatible) version of a schema are resolved to the current class. Bytes that cannot be decoded raise a
 * {@link SerializationException} saying why (wrap it in spring-kafka's ErrorHandlingDeserializer to dead-letter
 * such records). Configure with {@code schema.registry.url}. Thread-safe.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
    static {
        AvroClassTrust.ensure();
    }

    private SchemaRegistryClient registry;
    private final Map<Integer, SpecificDatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();

    /** For Kafka and Spring, which configure the instance through {@link #configure}. */
    public AvroDeserializer() {
    }

    /** For code that builds its own consumer: already configured. */
    public AvroDeserializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = AvroSerdeConfig.client(configs);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new SerializationException("AvroDeserializer is not configured: set "
                    + AvroSerdeConfig.SCHEMA_REGISTRY_URL);
        }
        String where = "record of topic " + topic;
        if (data.length < AvroSerdeConfig.HEADER_LENGTH) {
            throw new SerializationException("cannot deserialize " + where + ": " + data.length
                    + " bytes are too short for the Confluent wire format (magic byte + 4-byte schema id + Avro)");
        }
        if (data[0] != AvroSerdeConfig.MAGIC_BYTE) {
            throw new SerializationException(String.format("cannot deserialize %s: unknown magic byte 0x%02x "
                    + "(expected 0x00, the Confluent wire format); the producer did not use a schema-registry "
                    + "Avro serializer", where, data[0]));
        }
        int schemaId = ByteBuffer.wrap(data, 1, 4).getInt();
        SpecificDatumReader<T> reader = readerFor(schemaId, where);
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
                    data, AvroSerdeConfig.HEADER_LENGTH, data.length - AvroSerdeConfig.HEADER_LENGTH, null);
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("cannot deserialize " + where + ": corrupt Avro data for schema id "
                        + schemaId + " (" + reader.getSchema().getFullName() + "): bytes left after the record");
            }
            return value;
        } catch (SerializationException e) {
            throw e;
        } catch (Exception e) {
            // Avro signals corrupt input with IOExceptions, AvroRuntimeExceptions and index/array errors alike.
            throw new SerializationException("cannot deserialize " + where + ": corrupt Avro data for schema id "
                    + schemaId + " (" + reader.getSchema().getFullName() + "): " + e, e);
        }
    }

    private SpecificDatumReader<T> readerFor(int schemaId, String where) {
        SpecificDatumReader<T> cached = readersBySchemaId.get(schemaId);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        try {
            writer = registry.getById(schemaId);
        } catch (SchemaRegistryException e) {
            String reason = e.isNotFound()
                    ? "unknown schema id " + schemaId + " (not in the registry at " + registry.baseUrl() + ")"
                    : "cannot fetch schema id " + schemaId + ": " + e.getMessage();
            throw new SerializationException("cannot deserialize " + where + ": " + reason, e);
        }
        SpecificData model = SpecificData.getForSchema(writer);
        Class<?> generated = model.getClass(writer);
        if (generated == null || !org.apache.avro.specific.SpecificRecord.class.isAssignableFrom(generated)) {
            throw new SerializationException("cannot deserialize " + where + ": schema id " + schemaId
                    + " is " + writer.getFullName() + ", which has no generated class on the classpath");
        }
        Schema readerSchema = model.getSchema(generated);
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(writer, readerSchema, model);
        readersBySchemaId.putIfAbsent(schemaId, reader);
        return reader;
    }
}
