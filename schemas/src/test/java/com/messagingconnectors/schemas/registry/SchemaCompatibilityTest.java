package com.messagingconnectors.schemas.registry;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The build's guard on the contracts: each current top-level schema must read data written with its last
 * released version (src/compat-baseline), i.e. every change is BACKWARD compatible as the registry requires.
 */
class SchemaCompatibilityTest {
    private static final Path BASELINE = Path.of("src/compat-baseline");

    static List<Arguments> topLevelSchemas() {
        return List.of(
                Arguments.of("PlatformEvent.avsc", PlatformEvent.getClassSchema()),
                Arguments.of("Notification.avsc", Notification.getClassSchema()));
    }

    @ParameterizedTest(name = "{0} stays BACKWARD compatible with its baseline")
    @MethodSource("topLevelSchemas")
    void currentSchemaReadsDataWrittenWithTheBaseline(String file, Schema current) throws Exception {
        Schema released = new Schema.Parser().parse(Files.readString(BASELINE.resolve(file)));

        List<String> problems = AvroCompatibility.problemsReading(current, released);

        assertThat(problems)
                .as("src/main/avro change to %s is not BACKWARD compatible with src/compat-baseline/%s "
                        + "(add a default to new fields, don't remove fields without defaults)", file, file)
                .isEmpty();
    }

    @Test
    void aNewRequiredFieldWithoutDefaultIsRejected() throws Exception {
        ObjectNode changed = (ObjectNode) Json.MAPPER.readTree(PlatformEvent.getClassSchema().toString());
        ((ArrayNode) changed.get("fields")).addObject().put("name", "tenantRegion").put("type", "string");
        Schema breaking = new Schema.Parser().parse(changed.toString());

        List<String> problems = AvroCompatibility.problemsReading(breaking, PlatformEvent.getClassSchema());

        assertThat(problems).singleElement().asString()
                .contains("READER_FIELD_MISSING_DEFAULT")
                .contains("tenantRegion");
    }

    @Test
    void aNewOptionalFieldWithDefaultIsAccepted() throws Exception {
        ObjectNode changed = (ObjectNode) Json.MAPPER.readTree(PlatformEvent.getClassSchema().toString());
        ObjectNode field = ((ArrayNode) changed.get("fields")).addObject().put("name", "tenantRegion");
        field.putArray("type").add("null").add("string");
        field.putNull("default");
        Schema evolved = new Schema.Parser().parse(changed.toString());

        assertThat(AvroCompatibility.problemsReading(evolved, PlatformEvent.getClassSchema())).isEmpty();
    }
}
