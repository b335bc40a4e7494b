package com.messagingconnectors.ingest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.EventValidationException;
import com.messagingconnectors.schemas.FieldError;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * CloudEvents 1.0 (HTTP protocol binding, JSON event format) onto the event JSON of docs/events.md, which is then
 * checked by the same {@link com.messagingconnectors.schemas.EventJson} rules as a plain JSON event.
 *
 * <p>Mapping: {@code id} → id (a UUID as is; any other id becomes the name-based UUID of source + id, so a
 * re-sent CloudEvent keeps its event id), {@code type} → type, {@code source} → source, {@code time} →
 * occurredAt, {@code data} (a JSON object) → payload, extension {@code workspaceid} → workspaceId, extensions
 * {@code level}, {@code link} and {@code summary} → the fields of the same name; without a {@code summary},
 * {@code subject} is the summary. Every other extension (and {@code subject}) becomes an attribute, usable in routing
 * rules. Errors name the CloudEvents attribute, not our field.
 */
final class CloudEvents {
    static final MediaType STRUCTURED = MediaType.parseMediaType("application/cloudevents+json");
    static final MediaType BATCH = MediaType.parseMediaType("application/cloudevents-batch+json");
    /** Binary mode is told by this header (the HTTP binding's rule). */
    static final String SPEC_VERSION_HEADER = "ce-specversion";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern UUID_TEXT =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    /** Context attributes with a meaning of their own; every other attribute is an extension. */
    private static final Set<String> CONTEXT = Set.of("specversion", "id", "source", "type", "time", "subject",
            "datacontenttype", "dataschema", "data", "data_base64");
    /** Extensions that fill a field of our event rather than an attribute. */
    private static final Map<String, String> EXTENSION_FIELDS = Map.of(
            "workspaceid", "workspaceId", "level", "level", "link", "link", "summary", "summary");
    /** CloudEvents attribute names: lowercase letters and digits, at most 20 recommended (we allow 50). */
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("^[a-z0-9]{1,50}$");

    private CloudEvents() {
    }

    static boolean is(MediaType expected, String contentType) {
        try {
            return contentType != null && expected.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /**
     * A structured-mode event (one JSON object), checked by ingest's rules; every problem is reported at once, named by
     * its CloudEvents attribute under {@code path} (e.g. {@code [3].workspaceid} in a batch).
     */
    static PlatformEvent fromStructured(JsonNode event, String path) {
        List<FieldError> errors = new ArrayList<>();
        if (event == null || !event.isObject()) {
            errors.add(new FieldError(path, "must be a CloudEvent (a JSON object with specversion, id, source, type)"));
            throw new EventValidationException(errors);
        }
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = event.properties().iterator(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            attributes.put(field.getKey(), field.getValue());
        }
        JsonNode data = attributes.remove("data");
        return validate(toEventJson(attributes, data, path, errors), path, errors);
    }

    /**
     * A binary-mode event: the {@code ce-*} headers (names lower-case, values as sent) and the body as data, whose
     * Content-Type the caller already required to be JSON.
     */
    static PlatformEvent fromBinary(Map<String, String> ceHeaders, JsonNode data) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        ceHeaders.forEach((name, value) -> {
            String attribute = name.substring("ce-".length());
            String decoded = percentDecode(value);
            if (decoded == null) {
                errors.add(new FieldError(attribute, "header " + name + " is not valid percent-encoded UTF-8"));
            } else {
                attributes.put(attribute, NODES.stringNode(decoded));
            }
        });
        attributes.put("datacontenttype", NODES.stringNode("application/json"));
        return validate(toEventJson(attributes, data, "", errors), "", errors);
    }

    /** EventJson's rules on the mapped event; its problems join the mapping's, once per attribute. */
    private static PlatformEvent validate(ObjectNode json, String path, List<FieldError> mappingErrors) {
        List<FieldError> errors = new ArrayList<>(mappingErrors);
        try {
            PlatformEvent event = EventJson.fromJson(json, path);
            if (errors.isEmpty()) {
                return event;
            }
        } catch (EventValidationException e) {
            for (FieldError error : asCloudEventsNames(e.errors())) {
                if (errors.stream().noneMatch(known -> known.field().equals(error.field()))) {
                    errors.add(error);
                }
            }
        }
        throw new EventValidationException(errors);
    }

    private static ObjectNode toEventJson(Map<String, JsonNode> attributes, JsonNode data, String path,
                                          List<FieldError> errors) {
        String specVersion = text(attributes, "specversion", path, true, errors);
        if (specVersion != null && !specVersion.equals("1.0")) {
            errors.add(new FieldError(at(path, "specversion"), "must be 1.0 (CloudEvents 1.0), was " + specVersion));
        }
        String id = text(attributes, "id", path, true, errors);
        String source = text(attributes, "source", path, true, errors);
        text(attributes, "type", path, true, errors);
        String contentType = text(attributes, "datacontenttype", path, false, errors);
        if (contentType != null && !isJson(contentType)) {
            errors.add(new FieldError(at(path, "datacontenttype"), "must be application/json (or another JSON type);"
                    + " data is the event's payload object"));
        }
        if (attributes.containsKey("data_base64")) {
            errors.add(new FieldError(at(path, "data_base64"), "binary data is not accepted; send data as a JSON object"));
        }
        ObjectNode json = NODES.objectNode();
        if (id != null && source != null) {
            json.put("id", UUID_TEXT.matcher(id).matches() ? id
                    : UUID.nameUUIDFromBytes((source + "\n" + id).getBytes(StandardCharsets.UTF_8)).toString());
        }
        copy(attributes, "type", json, "type");
        copy(attributes, "source", json, "source");
        copy(attributes, "time", json, "occurredAt");
        ObjectNode extensions = NODES.objectNode();
        attributes.forEach((name, value) -> {
            if (CONTEXT.contains(name) && !name.equals("subject")) {
                return;
            }
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                errors.add(new FieldError(at(path, name), "is not a CloudEvents attribute name (lowercase letters and "
                        + "digits)"));
            } else if (EXTENSION_FIELDS.containsKey(name)) {
                json.set(EXTENSION_FIELDS.get(name), value);
            } else if (value.isValueNode() && !value.isNull()) {
                extensions.put(name, value.asString(""));
            } else if (!value.isNull()) {
                errors.add(new FieldError(at(path, name), "an extension attribute must be a string, number or boolean"));
            }
        });
        if (!json.has("summary") && attributes.get("subject") != null) {
            json.set("summary", attributes.get("subject"));
        }
        if (!json.has("summary") || json.get("summary").isNull()) {
            errors.add(new FieldError(at(path, "summary"),
                    "is required: set the extension attribute summary (one human-readable line) or subject"));
        }
        if (!extensions.isEmpty()) {
            json.set("attributes", extensions);
        }
        if (data == null || data.isNull()) {
            if (!attributes.containsKey("data_base64")) {
                errors.add(new FieldError(at(path, "data"), "is required (a JSON object, may be {})"));
            }
        } else {
            json.set("payload", data);
        }
        return json;
    }

    /** Our event JSON field paths in {@code errors} as the CloudEvents attributes they came from. */
    private static List<FieldError> asCloudEventsNames(List<FieldError> errors) {
        List<FieldError> renamed = new ArrayList<>(errors.size());
        for (FieldError error : errors) {
            String field = error.field();
            int end = field.startsWith("[") ? field.indexOf("].") : -1; // in a batch: [3].workspaceId
            String prefix = end < 0 ? "" : field.substring(0, end + 2);
            String rest = field.substring(prefix.length());
            String mapped = rest.startsWith("workspaceId") ? "workspaceid" + rest.substring("workspaceId".length())
                    : rest.startsWith("occurredAt") ? "time" + rest.substring("occurredAt".length())
                    : rest.startsWith("payload") ? "data" + rest.substring("payload".length())
                    : rest.startsWith("attributes.") ? rest.substring("attributes.".length())
                    : rest;
            renamed.add(new FieldError(prefix + mapped, error.problem()));
        }
        return renamed;
    }

    private static boolean isJson(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
                    || "application".equals(type.getType()) && type.getSubtype().endsWith("+json");
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static String text(Map<String, JsonNode> attributes, String name, String path, boolean required,
                               List<FieldError> errors) {
        JsonNode value = attributes.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(new FieldError(at(path, name), "is required (a CloudEvents 1.0 context attribute)"));
            }
            return null;
        }
        if (!value.isString() || value.stringValue(null).isEmpty()) {
            errors.add(new FieldError(at(path, name), "must be a non-empty string"));
            return null;
        }
        return value.stringValue(null);
    }

    private static void copy(Map<String, JsonNode> attributes, String name, ObjectNode json, String field) {
        JsonNode value = attributes.get(name);
        if (value != null && !value.isNull()) {
            json.set(field, value);
        }
    }

    private static String at(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The HTTP binding percent-encodes header values outside printable ASCII; null when malformed. */
    static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    return null;
                }
                int hi = Character.digit(value.charAt(i + 1), 16);
                int lo = Character.digit(value.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c > 0x7e) {
                return null;
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
