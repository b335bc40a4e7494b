package com.messagingconnectors.schemas;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.avro.Digest;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one place that knows the JSON form of a {@link PlatformEvent}: the event JSON accepted at ingest
 * ({@link #fromJson}), the same form written back ({@link #toEventJson}) and the webhook body
 * ({@link #toWebhookJson}). The format is documented in docs/events.md.
 *
 * <p>Typed payloads are read and written generically from the Avro schema of the payload union in
 * PlatformEvent.avsc: a record named {@code FooBar} there is the payload of type {@code foo.bar}, so adding a
 * field to an .avsc (or a new typed record to the union) needs no change here. Every other type carries its
 * payload as {@link GenericPayload} (the JSON object as compact text).
 */
public final class EventJson {
    public static final int MAX_TYPE_LENGTH = 100;
    public static final int MAX_SUMMARY_LENGTH = 1000;
    public static final int MAX_DEDUP_KEY_LENGTH = 200;
    /**
     * Deepest nesting of objects and arrays inside a payload ({} itself is level 1). The webhook body wraps the payload
     * two levels deeper, and JSON libraries refuse documents deeper than 1,000 levels (Jackson's default), so a
     * payload near that limit could be accepted here but never delivered.
     */
    public static final int MAX_PAYLOAD_DEPTH = 64;
    /** occurredAt range: what the webhook's timestamp (four-digit year, UTC) and Avro's timestamp-millis can carry. */
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    /** At most this many problems are listed for one generic payload. */
    private static final int MAX_PAYLOAD_ERRORS = 10;
    public static final Pattern TYPE_PATTERN = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$");
    public static final Pattern WORKSPACE_ID_PATTERN = Pattern.compile("^ws_[A-Za-z0-9_-]{1,60}$");
    private static final Pattern UUID_PATTERN =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    /** Top-level fields of the event JSON, in the order they are written. */
    private static final List<String> FIELDS = List.of(
            "id", "type", "workspaceId", "occurredAt", "level", "summary", "link", "source", "attributes", "payload",
            "dedupKey");
    private static final String ALLOWED_FIELDS = String.join(", ", FIELDS);

    /** Types whose level defaults to something other than info. */
    private static final Map<String, Level> DEFAULT_LEVELS = Map.of("alert.triggered", Level.alert);

    private static final ObjectMapper MAPPER = Json.MAPPER;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter MILLIS_UTC =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private static final SpecificData AVRO = avroModel();
    /** event type → schema of its typed payload record, derived from the payload union. */
    private static final Map<String, Schema> TYPED_PAYLOADS = typedPayloads();

    private EventJson() {
    }

    /** The event types that have a typed payload record (e.g. report.completed). */
    public static Set<String> typedEventTypes() {
        return TYPED_PAYLOADS.keySet();
    }

    /** The event JSON (see docs/events.md) as a PlatformEvent; every problem found is reported at once. */
    public static PlatformEvent fromJson(JsonNode node) {
        return fromJson(node, "");
    }

    /**
     * Like {@link #fromJson(JsonNode)}, with error paths prefixed by {@code path} (e.g. {@code events[3]}), for
     * events inside a batch.
     */
    public static PlatformEvent fromJson(JsonNode node, String path) {
        List<FieldError> errors = new ArrayList<>();
        PlatformEvent event = readEvent(node, path, errors);
        if (!errors.isEmpty()) {
            throw new EventValidationException(errors);
        }
        return event;
    }

    /**
     * Checks an event built in code (the producer starter, CloudEvents) by exactly ingest's rules: it is written as
     * event JSON and read back with {@link #fromJson}, so what passes here is what ingest would have accepted and
     * the router will never dead-letter for its shape. Returns the event as ingest would have produced it.
     */
    public static PlatformEvent validate(PlatformEvent event) {
        List<FieldError> errors = new ArrayList<>();
        if (event == null) {
            errors.add(new FieldError("", "must be an event, was null"));
        } else {
            // the only fields toEventJson cannot write when missing; every other rule is fromJson's
            if (event.getOccurredAt() == null) {
                errors.add(new FieldError("occurredAt", "is required"));
            }
            if (event.getLevel() == null) {
                errors.add(new FieldError("level", "is required (info, warning or alert)"));
            }
            if (event.getPayload() == null) {
                errors.add(new FieldError("payload", "is required (a JSON object, may be {} for types without fields)"));
            }
        }
        if (!errors.isEmpty()) {
            throw new EventValidationException(errors);
        }
        return fromJson(toEventJson(event));
    }

    /** The event in the ingest JSON form; {@code fromJson(toEventJson(e))} equals {@code e}. */
    public static ObjectNode toEventJson(PlatformEvent event) {
        ObjectNode json = NODES.objectNode();
        json.put("id", event.getEventId());
        json.put("type", event.getType());
        json.put("workspaceId", event.getWorkspaceId());
        json.put("occurredAt", MILLIS_UTC.format(event.getOccurredAt()));
        putDescription(json, event);
        json.set("payload", payloadJson(event.getPayload()));
        if (event.getDedupKey() != null) {
            json.put("dedupKey", event.getDedupKey());
        }
        return json;
    }

    /**
     * The webhook body: {@code {"type", "timestamp", "data": {"eventId", "workspaceId", "level", "summary",
     * "link"?, "source"?, "attributes"?, "payload"}}}; timestamp is occurredAt in UTC with milliseconds.
     */
    public static ObjectNode toWebhookJson(PlatformEvent event) {
        ObjectNode json = NODES.objectNode();
        json.put("type", event.getType());
        json.put("timestamp", MILLIS_UTC.format(event.getOccurredAt()));
        ObjectNode data = json.putObject("data");
        data.put("eventId", event.getEventId());
        data.put("workspaceId", event.getWorkspaceId());
        putDescription(data, event);
        data.set("payload", payloadJson(event.getPayload()));
        return json;
    }

    /** The webhook body exactly as webhook-sender posts and signs it: {@link #toWebhookJson} as compact JSON text. */
    public static String toWebhookBody(PlatformEvent event) {
        try {
            return MAPPER.writeValueAsString(toWebhookJson(event));
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write the webhook JSON of event " + event.getEventId(), e);
        }
    }

    /**
     * The webhook body of a notification: {@link #toWebhookJson(PlatformEvent)} of its event and, when it stands for
     * several events, {@code "digest": {"reason", "count", "eventIds", "groupKey", "groupLabel"?, "firstOccurredAt",
     * "lastOccurredAt", "samples"}} (webhook-payloads/digest.schema.json); {@code data} is then the latest event.
     */
    public static ObjectNode toWebhookJson(Notification notification) {
        ObjectNode json = toWebhookJson(notification.getEvent());
        Digest digest = notification.getDigest();
        if (digest != null) {
            ObjectNode d = json.putObject("digest");
            d.put("reason", digest.getReason());
            d.put("count", digest.getCount());
            ArrayNode ids = d.putArray("eventIds");
            digest.getEventIds().forEach(ids::add);
            d.put("groupKey", digest.getGroupKey());
            if (digest.getGroupLabel() != null) {
                d.put("groupLabel", digest.getGroupLabel());
            }
            d.put("firstOccurredAt", MILLIS_UTC.format(digest.getFirstOccurredAt()));
            d.put("lastOccurredAt", MILLIS_UTC.format(digest.getLastOccurredAt()));
            ArrayNode samples = d.putArray("samples");
            digest.getSamples().forEach(samples::add);
        }
        return json;
    }

    /** The webhook body exactly as webhook-sender posts and signs it: {@link #toWebhookJson(Notification)} as text. */
    public static String toWebhookBody(Notification notification) {
        try {
            return MAPPER.writeValueAsString(toWebhookJson(notification));
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write the webhook JSON of notification "
                    + notification.getNotificationId(), e);
        }
    }

    // ---- reading -------------------------------------------------------------------------------------------

    private static PlatformEvent readEvent(JsonNode node, String path, List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(path, "must be a JSON object (an event), was " + kind(node)));
            return null;
        }
        for (Iterator<String> names = node.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(at(path, name), "unknown field; allowed fields are " + ALLOWED_FIELDS));
            }
        }

        String id = text(node, path, "id", false, errors);
        if (id != null && !UUID_PATTERN.matcher(id).matches()) {
            errors.add(new FieldError(at(path, "id"),
                    "must be a UUID such as 3f2b6c1e-8a4d-4c1b-9e2f-5a6b7c8d9e0f, or left out to have one generated"));
        }

        String type = text(node, path, "type", true, errors);
        boolean typeValid = false;
        if (type != null) {
            if (type.length() > MAX_TYPE_LENGTH) {
                errors.add(new FieldError(at(path, "type"), "must be at most " + MAX_TYPE_LENGTH + " characters"));
            } else if (!TYPE_PATTERN.matcher(type).matches()) {
                errors.add(new FieldError(at(path, "type"),
                        "must be lowercase dot-separated words such as report.completed (letters, digits, '_')"));
            } else {
                typeValid = true;
            }
        }

        String workspaceId = text(node, path, "workspaceId", true, errors);
        if (workspaceId != null && !WORKSPACE_ID_PATTERN.matcher(workspaceId).matches()) {
            errors.add(new FieldError(at(path, "workspaceId"),
                    "must be 'ws_' followed by 1 to 60 letters, digits, '_' or '-', e.g. ws_acme"));
        }

        Instant occurredAt = null;
        String occurredAtText = text(node, path, "occurredAt", false, errors);
        if (occurredAtText != null) {
            occurredAt = parseInstant(occurredAtText, at(path, "occurredAt"), errors);
        }

        Level level = null;
        String levelText = text(node, path, "level", false, errors);
        if (levelText != null) {
            level = parseLevel(levelText);
            if (level == null) {
                errors.add(new FieldError(at(path, "level"), "must be one of info, warning, alert"));
            }
        }

        String summary = text(node, path, "summary", true, errors);
        if (summary != null) {
            int length = summary.codePointCount(0, summary.length());
            if (summary.isBlank()) {
                errors.add(new FieldError(at(path, "summary"), "must not be empty or blank"));
            } else if (length > MAX_SUMMARY_LENGTH) {
                errors.add(new FieldError(at(path, "summary"),
                        "must be at most " + MAX_SUMMARY_LENGTH + " characters, was " + length));
            }
        }

        String link = text(node, path, "link", false, errors);
        if (link != null && !isHttpUrl(link)) {
            errors.add(new FieldError(at(path, "link"),
                    "must be an absolute http(s) URL such as https://app.example.com/reports/42 (percent-encode anything"
                            + " that is not ASCII)"));
        }

        String source = text(node, path, "source", false, errors);
        String dedupKey = text(node, path, "dedupKey", false, errors);
        if (dedupKey != null && (dedupKey.isEmpty() || dedupKey.length() > MAX_DEDUP_KEY_LENGTH)) {
            errors.add(new FieldError(at(path, "dedupKey"), "must be 1 to " + MAX_DEDUP_KEY_LENGTH + " characters"));
        }
        Map<String, String> attributes = readAttributes(node.get("attributes"), at(path, "attributes"), errors);

        Object payload = null;
        JsonNode payloadNode = node.get("payload");
        String payloadPath = at(path, "payload");
        if (payloadNode == null || payloadNode.isNull()) {
            errors.add(new FieldError(payloadPath, "is required (a JSON object, may be {} for types without fields)"));
        } else if (!payloadNode.isObject()) {
            errors.add(new FieldError(payloadPath, "must be a JSON object, was " + kind(payloadNode)));
        } else if (typeValid) {
            Schema typed = TYPED_PAYLOADS.get(type);
            if (typed == null) {
                checkGeneric(payloadNode, payloadPath, 1, errors, errors.size());
                payload = new GenericPayload(compact(payloadNode));
            } else {
                payload = readRecord(payloadNode, typed, payloadPath, errors);
            }
        }

        if (!errors.isEmpty()) {
            return null;
        }
        return PlatformEvent.newBuilder()
                .setEventId(id != null ? id : UUID.randomUUID().toString())
                .setType(type)
                .setWorkspaceId(workspaceId)
                .setOccurredAt(occurredAt != null ? occurredAt : Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setLevel(level != null ? level : DEFAULT_LEVELS.getOrDefault(type, Level.info))
                .setSummary(summary)
                .setLink(link)
                .setSource(source)
                .setAttributes(attributes)
                .setPayload(payload)
                .setDedupKey(dedupKey)
                .build();
    }

    /** A string field; null (and an error if required) when missing, JSON null or not a string. */
    private static String text(JsonNode node, String path, String name, boolean required, List<FieldError> errors) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(new FieldError(at(path, name), "is required"));
            }
            return null;
        }
        if (!value.isString()) {
            errors.add(new FieldError(at(path, name), "must be a string, was " + kind(value)));
            return null;
        }
        return validUnicode(value.stringValue(null), at(path, name), errors) ? value.stringValue(null) : null;
    }

    private static Map<String, String> readAttributes(JsonNode node, String path, List<FieldError> errors) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return attributes;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(path, "must be a JSON object with string values, was " + kind(node)));
            return attributes;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!validUnicode(entry.getKey(), at(path, entry.getKey()), errors)) {
                continue;
            }
            if (entry.getValue().isString()) {
                if (validUnicode(entry.getValue().stringValue(null), at(path, entry.getKey()), errors)) {
                    attributes.put(entry.getKey(), entry.getValue().stringValue(null));
                }
            } else {
                errors.add(new FieldError(at(path, entry.getKey()), "must be a string, was " + kind(entry.getValue())));
            }
        }
        return attributes;
    }

    private static Instant parseInstant(String text, String path, List<FieldError> errors) {
        try {
            Instant instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    .truncatedTo(ChronoUnit.MILLIS);
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                errors.add(new FieldError(path, "must be between the years 0000 and 9999 (in UTC), was " + text));
                return null;
            }
            return instant;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(path,
                    "must be an ISO-8601 date-time with offset, e.g. 2026-03-01T12:00:00Z or 2026-03-01T13:00:00+01:00"));
            return null;
        }
    }

    private static Level parseLevel(String text) {
        for (Level level : Level.values()) {
            if (level.name().equals(text)) {
                return level;
            }
        }
        return null;
    }

    private static boolean isHttpUrl(String text) {
        // java.net.URI also takes raw non-ASCII and any port number; the published schema says RFC 3986 ("format": "uri")
        if (!text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return false;
        }
        try {
            URI uri = new URI(text);
            if (uri.getPort() > 65535) {
                return false;
            }
            String scheme = uri.getScheme();
            return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** A JSON object as the record of {@code schema}: every field checked, unknown fields rejected. */
    private static IndexedRecord readRecord(JsonNode node, Schema schema, String path, List<FieldError> errors) {
        List<String> allowed = schema.getFields().stream().map(Schema.Field::name).toList();
        for (Iterator<String> names = node.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(new FieldError(at(path, name), "unknown field; allowed fields are "
                        + (allowed.isEmpty() ? "none" : String.join(", ", allowed))));
            }
        }
        IndexedRecord record = (IndexedRecord) AVRO.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = node.get(field.name());
            String fieldPath = at(path, field.name());
            if (value == null || value.isNull()) {
                if (field.hasDefaultValue()) {
                    record.put(field.pos(), AVRO.deepCopy(field.schema(), AVRO.getDefaultValue(field)));
                } else if (isNullable(field.schema())) {
                    record.put(field.pos(), null);
                } else {
                    errors.add(new FieldError(fieldPath, "is required (" + describe(field.schema()) + ")"));
                }
            } else {
                Object fieldValue = readValue(value, field.schema(), fieldPath, errors);
                if (fieldValue != null) { // null only after an error: primitive fields refuse null
                    record.put(field.pos(), fieldValue);
                }
            }
        }
        return record;
    }

    /** One JSON value as the Avro value of {@code schema}; on a mismatch adds an error and returns null. */
    private static Object readValue(JsonNode value, Schema schema, String path, List<FieldError> errors) {
        switch (schema.getType()) {
            case UNION:
                return readUnion(value, schema, path, errors);
            case NULL:
                if (!value.isNull()) {
                    errors.add(new FieldError(path, "must be null, was " + kind(value)));
                }
                return null;
            case STRING:
                if (value.isString()) {
                    return validUnicode(value.stringValue(null), path, errors) ? value.stringValue(null) : null;
                }
                break;
            case BOOLEAN:
                if (value.isBoolean()) {
                    return value.booleanValue();
                }
                break;
            case INT:
                if (value.isIntegralNumber() && value.canConvertToInt()) {
                    return value.intValue();
                }
                break;
            case LONG:
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    if (value.isString()) {
                        return parseInstant(value.stringValue(null), path, errors);
                    }
                    break;
                }
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    return value.longValue();
                }
                break;
            case FLOAT:
                if (value.isNumber()) {
                    // numberValue(): out of range is infinity here (Jackson 3's floatValue() throws instead)
                    if (Float.isFinite(value.numberValue().floatValue())) {
                        return value.numberValue().floatValue();
                    }
                    errors.add(new FieldError(path, "must be a number within ±" + Float.MAX_VALUE + ", was "
                            + abbreviate(value.asString(""))));
                    return null;
                }
                break;
            case DOUBLE:
                if (value.isNumber()) {
                    if (Double.isFinite(value.numberValue().doubleValue())) {
                        return value.numberValue().doubleValue();
                    }
                    errors.add(new FieldError(path, "must be a number within ±" + Double.MAX_VALUE + ", was "
                            + abbreviate(value.asString(""))));
                    return null;
                }
                break;
            case ENUM:
                if (value.isString() && schema.hasEnumSymbol(value.stringValue(null))) {
                    return AVRO.createEnum(value.stringValue(null), schema);
                }
                break;
            case RECORD:
                if (value.isObject()) {
                    return readRecord(value, schema, path, errors);
                }
                break;
            case ARRAY:
                if (value.isArray()) {
                    List<Object> items = new ArrayList<>(value.size());
                    for (int i = 0; i < value.size(); i++) {
                        items.add(readValue(value.get(i), schema.getElementType(), path + "[" + i + "]", errors));
                    }
                    return items;
                }
                break;
            case MAP:
                if (value.isObject()) {
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> entry = it.next();
                        validUnicode(entry.getKey(), at(path, entry.getKey()), errors);
                        map.put(entry.getKey(),
                                readValue(entry.getValue(), schema.getValueType(), at(path, entry.getKey()), errors));
                    }
                    return map;
                }
                break;
            default:
                errors.add(new FieldError(path, "has Avro type " + schema.getType().getName()
                        + ", which the JSON form does not support"));
                return null;
        }
        errors.add(new FieldError(path, "must be " + describe(schema) + ", was " + kind(value)));
        return null;
    }

    private static Object readUnion(JsonNode value, Schema union, String path, List<FieldError> errors) {
        List<Schema> branches = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (value.isNull()) {
            if (isNullable(union)) {
                return null;
            }
            errors.add(new FieldError(path, "must not be null"));
            return null;
        }
        if (branches.size() == 1) {
            return readValue(value, branches.get(0), path, errors);
        }
        // Several non-null branches: the first that reads without problems wins.
        for (Schema branch : branches) {
            List<FieldError> branchErrors = new ArrayList<>();
            Object result = readValue(value, branch, path, branchErrors);
            if (branchErrors.isEmpty()) {
                return result;
            }
        }
        errors.add(new FieldError(path, "must be " + describe(union) + ", was " + kind(value)));
        return null;
    }

    // ---- writing -------------------------------------------------------------------------------------------

    /** level, summary and the optional link, source, attributes (sorted by key), shared by both output forms. */
    private static void putDescription(ObjectNode json, PlatformEvent event) {
        json.put("level", event.getLevel().name());
        json.put("summary", event.getSummary());
        if (event.getLink() != null) {
            json.put("link", event.getLink());
        }
        if (event.getSource() != null) {
            json.put("source", event.getSource());
        }
        if (event.getAttributes() != null && !event.getAttributes().isEmpty()) {
            ObjectNode attributes = json.putObject("attributes");
            new TreeMap<>(event.getAttributes()).forEach((key, value) -> attributes.put(key.toString(),
                    value == null ? null : value.toString()));
        }
    }

    private static JsonNode payloadJson(Object payload) {
        if (payload instanceof GenericPayload generic) {
            try {
                JsonNode json = MAPPER.readTree(generic.getJson());
                // deeper than ingest allows (a direct producer): as text, or the webhook body could not be written
                return depth(json) > MAX_PAYLOAD_DEPTH ? NODES.stringNode(generic.getJson()) : json;
            } catch (JacksonException e) {
                // Written by a producer other than ingest: pass the text on rather than lose the event.
                return NODES.stringNode(generic.getJson());
            }
        }
        if (payload instanceof SpecificRecord record) {
            return toJson(record, record.getSchema());
        }
        return NODES.objectNode();
    }

    /** An Avro value as JSON: records in schema field order, null fields left out, maps sorted by key. */
    private static JsonNode toJson(Object value, Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case UNION:
                return toJson(value, schema.getTypes().get(AVRO.resolveUnion(schema, value)));
            case RECORD: {
                IndexedRecord record = (IndexedRecord) value;
                ObjectNode json = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    Object fieldValue = record.get(field.pos());
                    if (fieldValue != null) {
                        json.set(field.name(), toJson(fieldValue, field.schema()));
                    }
                }
                return json;
            }
            case ARRAY: {
                ArrayNode json = NODES.arrayNode();
                for (Object item : (Collection<?>) value) {
                    json.add(toJson(item, schema.getElementType()));
                }
                return json;
            }
            case MAP: {
                ObjectNode json = NODES.objectNode();
                new TreeMap<String, Object>(((Map<?, ?>) value).entrySet().stream()
                        .collect(Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue)))
                        .forEach((key, item) -> json.set(key, toJson(item, schema.getValueType())));
                return json;
            }
            case INT:
                return NODES.numberNode(((Number) value).intValue());
            case LONG:
                if (value instanceof Instant instant) {
                    return NODES.stringNode(MILLIS_UTC.format(instant));
                }
                return NODES.numberNode(((Number) value).longValue());
            case FLOAT:
                return NODES.numberNode(((Number) value).floatValue());
            case DOUBLE:
                return NODES.numberNode(((Number) value).doubleValue());
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            default:
                return NODES.stringNode(value.toString());
        }
    }

    /**
     * A generic payload must survive the trip to a webhook unchanged: no number that only parses as infinity (1e400
     * would become the string "Infinity"), no unpaired surrogate (it would become '?'), no nesting deeper than
     * {@link #MAX_PAYLOAD_DEPTH}.
     */
    private static void checkGeneric(JsonNode node, String path, int depth, List<FieldError> errors, int errorsBefore) {
        if (errors.size() - errorsBefore >= MAX_PAYLOAD_ERRORS) {
            return;
        }
        if (node.isContainer() && depth > MAX_PAYLOAD_DEPTH) {
            errors.add(new FieldError(path, "is nested too deeply: at most " + MAX_PAYLOAD_DEPTH
                    + " levels of objects and arrays in a payload"));
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String fieldPath = at(path, field.getKey());
                if (validUnicode(field.getKey(), fieldPath, errors)) {
                    checkGeneric(field.getValue(), fieldPath, depth + 1, errors, errorsBefore);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkGeneric(node.get(i), path + "[" + i + "]", depth + 1, errors, errorsBefore);
            }
        } else if (node.isString()) {
            validUnicode(node.stringValue(null), path, errors);
        } else if (node.isFloatingPointNumber() && !Double.isFinite(node.numberValue().doubleValue())) {
            errors.add(new FieldError(path, "must be a number within ±" + Double.MAX_VALUE + ", was "
                    + abbreviate(node.asString(""))));
        }
    }

    /** False (and an error) when {@code text} has a UTF-16 surrogate without its pair, e.g. from "\ud800". */
    private static boolean validUnicode(String text, String path, List<FieldError> errors) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                errors.add(new FieldError(path, String.format("contains an unpaired surrogate (\\u%04x at character"
                        + " %d), which is not Unicode text; send valid UTF-8", (int) c, i)));
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static int depth(JsonNode node) {
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return node.isContainer() ? deepest + 1 : 0;
    }

    private static String at(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.NULL
                || (schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL));
    }

    /** What a JSON value of this schema looks like, for error messages. */
    private static String describe(Schema schema) {
        return switch (schema.getType()) {
            case STRING -> "a string";
            case BOOLEAN -> "true or false";
            case INT -> "a whole number between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE;
            case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                    ? "an ISO-8601 date-time with offset" : "a whole number";
            case FLOAT, DOUBLE -> "a number";
            case ENUM -> "one of " + String.join(", ", schema.getEnumSymbols());
            case RECORD, MAP -> "a JSON object";
            case ARRAY -> "a JSON array";
            case NULL -> "null";
            case UNION -> schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL)
                    .map(EventJson::describe).collect(Collectors.joining(" or "));
            default -> schema.getType().getName();
        };
    }

    /** What a JSON value is, for error messages. */
    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isString()) {
            return "a string";
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? "the whole number " + node.asString("") : "a number out of range";
        }
        if (node.isNumber()) {
            return "the number " + node.asString("");
        }
        if (node.isBoolean()) {
            return node.asString("");
        }
        if (node.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new IllegalStateException("a parsed JSON tree always serializes", e);
        }
    }

    private static SpecificData avroModel() {
        AvroClassTrust.ensure(); // Avro 1.12 loads our generated payload classes by name only when trusted
        SpecificData model = new SpecificData(EventJson.class.getClassLoader());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        return model;
    }

    /** report.completed → ReportCompleted, … : every record of the payload union except GenericPayload. */
    private static Map<String, Schema> typedPayloads() {
        Map<String, Schema> byType = new TreeMap<>();
        for (Schema schema : PlatformEvent.getClassSchema().getField("payload").schema().getTypes()) {
            if (schema.getType() == Schema.Type.RECORD
                    && !schema.getFullName().equals(GenericPayload.getClassSchema().getFullName())) {
                byType.put(typeName(schema.getName()), schema);
            }
        }
        return java.util.Collections.unmodifiableMap(byType);
    }

    /** ReportCompleted → report.completed */
    static String typeName(String recordName) {
        StringBuilder type = new StringBuilder();
        for (int i = 0; i < recordName.length(); i++) {
            char c = recordName.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                type.append('.');
            }
            type.append(Character.toLowerCase(c));
        }
        return type.toString();
    }
}
