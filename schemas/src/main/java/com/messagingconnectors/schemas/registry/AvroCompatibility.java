package com.messagingconnectors.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Avro's own reader/writer compatibility rules, phrased the way a schema registry uses them. One place for the
 * embedded registry and for the build's check that schema changes stay BACKWARD compatible.
 */
public final class AvroCompatibility {
    private AvroCompatibility() {
    }

    /**
     * Why data written with {@code writer} cannot be read with {@code reader}; empty when it can.
     * BACKWARD compatibility of a new schema = new schema as reader, previous one as writer.
     */
    public static List<String> problemsReading(Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        List<String> problems = result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .toList();
        return problems.isEmpty() ? List.of(result.getDescription()) : problems;
    }
}
