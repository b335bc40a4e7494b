package com.messagingconnectors.schemas.json;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the platform's own code (Jackson 3, as Spring Boot 4 ships it).
 *
 * <p>Jackson 3 changed several defaults of Jackson 2, which this code was written and tested against. The mapper
 * keeps the Jackson 2 ones, so what we accept and what we write stays as it was:
 * {@link JsonMapper#builderWithJackson2Defaults()} (unknown properties rejected when binding to a type, trailing
 * tokens after a document ignored, properties written in declaration order rather than sorted, dates written as
 * timestamps, null accepted for primitives, ...), and the stream limits of Jackson 2 (nesting depth 1,000 read and
 * written, strings at most 20,000,000 characters; Jackson 3 has 500 and 100,000,000). Code that needs something
 * else derives its own with {@code Json.MAPPER.rebuild()}.
 *
 * <p>Mappers are immutable in Jackson 3: share this one.
 */
public final class Json {

    /** Jackson 2's stream limits: what the hostile-input tests of every module were written against. */
    public static final StreamReadConstraints READ_LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(1000)
            .maxStringLength(20_000_000)
            .build();
    public static final StreamWriteConstraints WRITE_LIMITS = StreamWriteConstraints.builder()
            .maxNestingDepth(1000)
            .build();

    public static final JsonMapper MAPPER = builder().build();

    private Json() {
    }

    /** A builder with this mapper's settings, for code that adds its own (modules, stricter parsing). */
    public static JsonMapper.Builder builder() {
        // what JsonMapper.builderWithJackson2Defaults() does, with the stream limits on its factory
        return JsonMapper.builder(JsonFactory.builder()
                        .configureForJackson2()
                        .streamReadConstraints(READ_LIMITS)
                        .streamWriteConstraints(WRITE_LIMITS)
                        .build())
                .configureForJackson2();
    }
}
