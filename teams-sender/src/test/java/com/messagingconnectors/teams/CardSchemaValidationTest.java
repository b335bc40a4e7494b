package com.messagingconnectors.teams;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.SyncFailed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every card the formatter can produce (each known type at each level, a new type, escaped text, an oversized event,
 * no link, digests) parsed by the adaptivecards npm library at schema 1.5; any parse warning or validation error fails.
 */
class CardSchemaValidationTest {
    static final ObjectMapper JSON = Json.MAPPER;

    @Test
    void everyCardIsAValidAdaptiveCard15(@TempDir Path dir) throws Exception {
        Map<String, PlatformEvent> events = new LinkedHashMap<>();
        Events.samples().forEach((type, event) -> {
            for (Level level : Level.values()) {
                PlatformEvent copy = PlatformEvent.newBuilder(event).build();
                copy.setLevel(level);
                events.put(type + " / " + level, copy);
            }
        });
        events.put("markdown and functions escaped", Events.event("sync.failed", Level.alert,
                "**x** [a](http://b) {{DATE(2026-01-01T00:00:00Z)}} <b>html</b>\n- item\n1. item",
                new SyncFailed("s", "`code` # h", null, "|a|b|", null)));
        StringBuilder big = new StringBuilder("{");
        for (int i = 0; i < 120; i++) {
            big.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":\"").append("y".repeat(800)).append('"');
        }
        events.put("oversized", Events.event("bulk.export", Level.warning, "z".repeat(5000),
                new GenericPayload(big.append('}').toString())));
        events.put("payload not an object", Events.event("odd.type", Level.info, "odd", new GenericPayload("[1,2]")));
        PlatformEvent noLink = Events.event("user.invited", Level.info, "no link", new GenericPayload("{}"));
        noLink.setLink(null);
        events.put("no link", noLink);

        ArrayNode cards = JSON.createArrayNode();
        events.forEach((name, event) -> {
            ObjectNode card = AdaptiveCardFormatter.format(event);
            assertThat(AdaptiveCardFormatter.size(card)).as(name).isLessThanOrEqualTo(AdaptiveCardFormatter.MAX_CARD_BYTES);
            cards.addObject().put("name", name).set("card", card);
        });
        // digests: a short one, one with hostile and oversized samples, one without samples or link
        PlatformEvent latest = Events.samples().get("sync.failed");
        PlatformEvent unlinked = PlatformEvent.newBuilder(latest).setLink(null).setLevel(Level.alert).build();
        Map<String, com.messagingconnectors.schemas.avro.Notification> digests = new LinkedHashMap<>();
        digests.put("digest", withDigest(latest, Events.digest(37, java.util.List.of("a", "b"))));
        digests.put("digest escaped and oversized", withDigest(latest, Events.digest(2_000, java.util.List.of(
                "**x** [a](http://b) {{DATE(2026-01-01T00:00:00Z)}}", "- item\n1. item", "z".repeat(9_000)))));
        digests.put("digest without samples or link", withDigest(unlinked, Events.digest(3, java.util.List.of())));
        digests.forEach((name, notification) -> {
            ObjectNode card = AdaptiveCardFormatter.format(notification);
            assertThat(AdaptiveCardFormatter.size(card)).as(name).isLessThanOrEqualTo(AdaptiveCardFormatter.MAX_CARD_BYTES);
            cards.addObject().put("name", name).set("card", card);
        });
        Path file = dir.resolve("cards.json");
        Files.writeString(file, JSON.writeValueAsString(cards));

        String nodeDir = System.getProperty("cards.node.dir", "src/test/node");
        Process node = new ProcessBuilder("node", "validate.js", file.toString())
                .directory(new File(nodeDir)).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).doesNotContain("FAIL");
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output.lines().filter(l -> l.startsWith("ok ")).count()).isEqualTo(cards.size());
    }

    private static com.messagingconnectors.schemas.avro.Notification withDigest(PlatformEvent latest,
            com.messagingconnectors.schemas.avro.Digest digest) {
        return com.messagingconnectors.schemas.avro.Notification.newBuilder(Events.notification(latest, "int-1", "ch-1"))
                .setDigest(digest).build();
    }
}
