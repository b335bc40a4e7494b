package com.messagingconnectors.schemas;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Inputs the ingest fuzzing (IngestFuzzTest) found accepted although the webhook sender could not deliver them as
 * the published schema says, or at all: each is now refused at validation, naming the field, or (for events written
 * by other producers) still serialized.
 */
class EventJsonHostileInputTest {
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private static JsonNode event(String type, String extra, String payload) {
        try {
            return MAPPER.readTree("{\"type\":\"" + type + "\",\"workspaceId\":\"ws_a\",\"summary\":\"s\"" + extra
                    + ",\"payload\":" + payload + "}");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode alert(String threshold) {
        return event("alert.triggered", "", "{\"alertId\":\"a\",\"alertName\":\"n\",\"metric\":\"m\","
                + "\"comparator\":\">\",\"threshold\":" + threshold + ",\"value\":1}");
    }

    private static String rejected(JsonNode event) {
        try {
            EventJson.fromJson(event);
        } catch (EventValidationException e) {
            return e.errors().toString();
        }
        throw new AssertionError("expected the event to be rejected: " + event);
    }

    /** Was accepted and posted as {"threshold":"Infinity"}, a string where the schema promises a number. */
    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "1.7976931348623157E309"})
    void numbersBeyondDoubleAreRefusedInTypedPayloads(String huge) {
        assertThat(rejected(alert(huge))).contains("payload.threshold").contains("must be a number within");
        assertThat(rejected(alert("1" + "0".repeat(400)))).contains("payload.threshold");
    }

    /** Was accepted and silently became the string "Infinity" on its way to the endpoint. */
    @Test
    void numbersBeyondDoubleAreRefusedInGenericPayloads() {
        assertThat(rejected(event("invoice.paid", "", "{\"amount\":{\"value\":1e400}}")))
                .contains("payload.amount.value");
        // big integers are kept exactly, so they stay allowed
        PlatformEvent big = EventJson.fromJson(event("invoice.paid", "", "{\"id\":1" + "0".repeat(300) + "}"));
        assertThat(EventJson.toWebhookBody(big)).contains("\"id\":1" + "0".repeat(300));
    }

    /** 998 levels were accepted; the webhook body (two levels deeper) then failed to write on every retry. */
    @Test
    void payloadsNestedDeeperThanTheLimitAreRefused() {
        String deep = "{\"x\":" + "[".repeat(997) + "]".repeat(997) + "}";
        assertThat(rejected(event("a.b", "", deep))).contains("payload.x").contains("nested too deeply");

        int limit = EventJson.MAX_PAYLOAD_DEPTH;
        String deepest = "{\"x\":" + "[".repeat(limit - 1) + "]".repeat(limit - 1) + "}";
        assertThat(EventJson.toWebhookBody(EventJson.fromJson(event("a.b", "", deepest))))
                .contains("[".repeat(limit - 1));
        assertThat(rejected(event("a.b", "", "{\"x\":" + "[".repeat(limit) + "]".repeat(limit) + "}")))
                .contains("nested too deeply");
    }

    /** A platform service writing Avro directly is not validated by ingest: its deep payload is passed on as text. */
    @Test
    void aTooDeepPayloadFromAnotherProducerIsStillSerialized() {
        String deep = "[".repeat(999) + "]".repeat(999);
        PlatformEvent event = PlatformEvent.newBuilder().setEventId("3f2b6c1e-8a4d-4c1b-9e2f-5a6b7c8d9e0f")
                .setType("a.b").setWorkspaceId("ws_a").setOccurredAt(Instant.parse("2026-03-01T12:00:00Z"))
                .setLevel(Level.info).setSummary("s").setAttributes(Map.of())
                .setPayload(new GenericPayload(deep)).build();

        assertThat(EventJson.toWebhookBody(event)).contains("\"payload\":\"[[[");
    }

    /**
     * +999999999-… overflowed Avro's timestamp-millis (an unexpected error instead of a 422); +10000-… and -0001-…
     * were posted with a timestamp the schema's four-digit pattern refuses.
     */
    @ParameterizedTest
    @ValueSource(strings = {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999-18:00"})
    void occurredAtOutsideFourDigitYearsIsRefused(String when) {
        assertThat(rejected(event("a.b", ",\"occurredAt\":\"" + when + "\"", "{}")))
                .contains("occurredAt").contains("between the years 0000 and 9999");
    }

    @Test
    void occurredAtAtTheEdgesOfFourDigitYearsIsKept() {
        assertThat(EventJson.toWebhookBody(EventJson.fromJson(event("a.b", ",\"occurredAt\":\"0000-01-01T00:00:00Z\"",
                "{}")))).contains("\"timestamp\":\"0000-01-01T00:00:00.000Z\"");
        assertThat(EventJson.toWebhookBody(EventJson.fromJson(event("a.b",
                ",\"occurredAt\":\"9999-12-31T23:59:59.999Z\"", "{}"))))
                .contains("\"timestamp\":\"9999-12-31T23:59:59.999Z\"");
    }

    /** Were accepted, then Avro's UTF-8 encoding turned each unpaired surrogate into '?'. */
    @Test
    void unpairedSurrogatesAreRefusedWherever() {
        assertThat(rejected(MAPPER.createObjectNode().put("type", "a.b").put("workspaceId", "ws_a")
                .put("summary", "x\ud800").set("payload", MAPPER.createObjectNode())))
                .contains("summary").contains("unpaired surrogate");
        assertThat(rejected(event("a.b", ",\"attributes\":{\"\\udc00\":\"v\"}", "{}"))).contains("attributes");
        assertThat(rejected(event("a.b", ",\"attributes\":{\"k\":\"a\\ud83d\"}", "{}"))).contains("attributes.k");
        assertThat(rejected(event("a.b", "", "{\"list\":[\"ok\",\"\\ud800\"]}"))).contains("payload.list[1]");
        assertThat(rejected(event("a.b", "", "{\"\\ud800\":1}"))).contains("unpaired surrogate");
        assertThat(rejected(event("user.invited", "", "{\"userEmail\":\"\\ud800@example.com\","
                + "\"invitedBy\":\"b@example.com\"}"))).contains("payload.userEmail");

        PlatformEvent paired = EventJson.fromJson(event("a.b", "", "{\"emoji\":\"\\ud83d\\ude00\"}"));
        assertThat(EventJson.toWebhookBody(paired)).contains("\"emoji\":\"😀\"");
    }

    /** Were accepted although not RFC 3986 URIs, which the schema's "format": "uri" promises. */
    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/\u00e9", "https://example.com:99999/", "https://exa mple.com/",
            "https://example.com/\ud83d\ude00"})
    void linksThatAreNotRfc3986UrisAreRefused(String link) {
        assertThat(rejected(MAPPER.createObjectNode().put("type", "a.b").put("workspaceId", "ws_a").put("summary", "s")
                .put("link", link).set("payload", MAPPER.createObjectNode()))).contains("link");
        assertThat(EventJson.fromJson(MAPPER.createObjectNode().put("type", "a.b").put("workspaceId", "ws_a")
                .put("summary", "s").put("link", "https://example.com:8443/r/%C3%A9?q=1#x")
                .set("payload", MAPPER.createObjectNode())).getLink()).isEqualTo("https://example.com:8443/r/%C3%A9?q=1#x");
    }

    @Test
    void theWebhookBodyOfAValidEventIsWritten() {
        assertThatThrownBy(() -> EventJson.fromJson(alert("\"NaN\""))).isInstanceOf(EventValidationException.class);
        assertThat(EventJson.toWebhookBody(EventJson.fromJson(alert("0.97")))).contains("\"threshold\":0.97");
    }
}
