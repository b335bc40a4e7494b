package com.messagingconnectors.registry;

import com.messagingconnectors.schemas.registry.AvroCompatibility;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;

/** Confluent's compatibility levels, checked with Avro's own reader/writer rules. */
enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** New schema must read data written with the old ones (consumers upgrade first). */
    private final boolean backward;
    /** Old schemas must read data written with the new one (producers upgrade first). */
    private final boolean forward;
    /** Against every earlier version, not only the latest. */
    final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    static CompatibilityLevel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw RegistryError.invalidCompatibilityLevel(text);
        }
    }

    /** Why {@code candidate} may not follow {@code existing} under this level; empty when it may. */
    List<String> problems(Schema candidate, Schema existing, int existingVersion) {
        List<String> problems = new ArrayList<>();
        if (backward) {
            AvroCompatibility.problemsReading(candidate, existing).forEach(p ->
                    problems.add("new schema cannot read data written with version " + existingVersion + ": " + p));
        }
        if (forward) {
            AvroCompatibility.problemsReading(existing, candidate).forEach(p ->
                    problems.add("version " + existingVersion + " cannot read data written with the new schema: " + p));
        }
        return problems;
    }
}
