package com.messagingconnectors.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** The shared mapper keeps the Jackson 2 behaviour the platform was written against (decision 0029). */
class JsonTest {

    record Point(int y, int x) {
    }

    @Test
    void unknownPropertiesAreRefusedWhenBinding() {
        assertThatThrownBy(() -> Json.MAPPER.readValue("{\"y\":1,\"x\":2,\"z\":3}", Point.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void propertiesAreWrittenInDeclarationOrder() {
        assertThat(Json.MAPPER.writeValueAsString(new Point(1, 2))).isEqualTo("{\"y\":1,\"x\":2}");
    }

    @Test
    void trailingTokensAfterADocumentAreIgnored() {
        assertThat(Json.MAPPER.readTree("{\"a\":1} x").path("a").asInt(0)).isEqualTo(1);
    }

    @Test
    void nestingUpTo1000LevelsIsRead() {
        assertThat(Json.MAPPER.readTree("[".repeat(1000) + "]".repeat(1000)).isArray()).isTrue();
        assertThatThrownBy(() -> Json.MAPPER.readTree("[".repeat(1001) + "]".repeat(1001)))
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining("1000");
    }
}
