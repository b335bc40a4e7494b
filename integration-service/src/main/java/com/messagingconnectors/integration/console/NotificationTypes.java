package com.messagingconnectors.integration.console;

import tools.jackson.core.JacksonException;
import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.schemas.EventJson;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The notification types a workspace can switch on: the documented ones (each with the description of its published
 * webhook payload schema) and any other type the workspace's integrations already name (new types need no code
 * change anywhere).
 */
final class NotificationTypes {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final Map<String, String> DOCUMENTED = documented();

    record Type(String id, String description, boolean documented) {
    }

    private NotificationTypes() {
    }

    static List<Type> of(List<IntegrationConfig> integrations) {
        Map<String, Type> types = new TreeMap<>();
        DOCUMENTED.forEach((id, description) -> types.put(id, new Type(id, description, true)));
        integrations.stream()
                .flatMap(i -> Stream.concat(i.notificationTypes().keySet().stream(),
                        i.rules().stream().flatMap(r -> r.match().types() == null ? Stream.empty()
                                : r.match().types().stream())))
                .filter(t -> !t.contains("*"))
                .forEach(t -> types.putIfAbsent(t, new Type(t, "", false)));
        return List.copyOf(types.values());
    }

    /** "report.completed: A scheduled report has finished running. Body of …" → "A scheduled report has finished running." */
    private static Map<String, String> documented() {
        Map<String, String> out = new TreeMap<>();
        for (String type : EventJson.typedEventTypes()) {
            String path = "/webhook-payloads/" + type + ".schema.json";
            try (InputStream in = NotificationTypes.class.getResourceAsStream(path)) {
                JsonNode schema = in == null ? null : JSON.readTree(in);
                String text = schema == null ? "" : schema.path("description").asString("");
                text = text.startsWith(type + ": ") ? text.substring(type.length() + 2) : text;
                int end = text.indexOf(". ");
                out.put(type, end < 0 ? text : text.substring(0, end + 1));
            } catch (IOException | JacksonException e) {
                out.put(type, "");
            }
        }
        return out;
    }
}
