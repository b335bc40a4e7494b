package com.messagingconnectors.registry;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Confluent Schema Registry REST subset, routed by hand to keep the server tiny and fast to start. */
final class RegistryHttpHandler implements HttpHandler {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /** Largest request body (a schema with its JSON envelope); larger ones get 413 and are not read past this. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** How much of a refused body is still read and dropped so the 413 reaches the client (as Tomcat's swallow). */
    private static final int MAX_SWALLOW_BYTES = 4 * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(RegistryHttpHandler.class);
    private static final ObjectMapper JSON = Json.MAPPER;

    private final SchemaStore store;
    /** Null when the registry is open (the local default). */
    private final BasicAuthUsers users;

    RegistryHttpHandler(SchemaStore store, BasicAuthUsers users) {
        this.store = store;
        this.users = users;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Object answer;
            int status = 200;
            try {
                authenticate(exchange);
                refuseDeclaredOversizedBody(exchange.getRequestHeaders().getFirst("Content-Length"));
                answer = route(exchange.getRequestMethod(), segments(exchange.getRequestURI().getRawPath()),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestBody());
            } catch (RegistryError e) {
                status = e.httpStatus;
                answer = JSON.createObjectNode().put("error_code", e.errorCode).put("message", e.getMessage());
                if (status >= 500) {
                    log.error("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.getMessage());
                }
            } catch (RuntimeException e) {
                status = 500;
                answer = JSON.createObjectNode().put("error_code", 50001).put("message", "Internal error: " + e);
                log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            }
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            if (status == 413) {
                // The rest of the body was not read, so the connection cannot carry another request: say so. Read
                // (and drop) a bounded part of it first: closing a socket with unread bytes resets it, and the client,
                // still sending, may then lose the answer before it reads it.
                swallow(exchange.getRequestBody());
                exchange.getResponseHeaders().set("Connection", "close");
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Everything but the health probe needs a known user when users are configured (deny by default). */
    private void authenticate(HttpExchange exchange) {
        if (users == null || exchange.getRequestURI().getRawPath().equals("/health")) {
            return;
        }
        if (!users.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"schema-registry\", charset=\"UTF-8\"");
            throw new RegistryError(401, 40101, "Unauthorized: this registry requires HTTP basic authentication "
                    + "with a configured user");
        }
    }

    private Object route(String method, List<String> path, String query, InputStream body) throws IOException {
        int size = path.size();
        String first = size > 0 ? path.get(0) : "";
        if (size == 0) {
            return only(method, "GET", JSON.createObjectNode());
        }
        switch (first) {
            case "health" -> {
                if (size == 1) {
                    return only(method, "GET", JSON.createObjectNode().put("status", "UP"));
                }
            }
            case "schemas" -> {
                if (size == 2 && path.get(1).equals("types")) {
                    return only(method, "GET", List.of("AVRO"));
                }
                if (size >= 3 && size <= 4 && path.get(1).equals("ids")) {
                    requireMethod(method, "GET");
                    String schema = schemaById(path.get(2));
                    if (size == 3) {
                        return JSON.createObjectNode().put("schema", schema);
                    }
                    if (path.get(3).equals("schema")) {
                        return JSON.readTree(schema);
                    }
                }
            }
            case "subjects" -> {
                return subjects(method, path, query, body);
            }
            case "config" -> {
                return config(method, size == 1 ? null : path.get(1), size, query, body);
            }
            case "compatibility" -> {
                if ((size == 4 || size == 5) && path.get(1).equals("subjects") && path.get(3).equals("versions")) {
                    requireMethod(method, "POST");
                    String subject = path.get(2);
                    Schema candidate = parseSchema(body);
                    Integer version = size == 5 ? versionNumber(path.get(4)) : null;
                    List<String> problems = store.incompatibilities(subject, candidate, version);
                    ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
                    if (query != null && query.contains("verbose=true")) {
                        problems.forEach(answer.putArray("messages")::add);
                    }
                    return answer;
                }
            }
            default -> {
                // falls through to 404
            }
        }
        throw new RegistryError(404, 404, "HTTP 404 Not Found");
    }

    private Object subjects(String method, List<String> path, String query, InputStream body) throws IOException {
        int size = path.size();
        if (size == 1) {
            return only(method, "GET", store.subjects());
        }
        String subject = path.get(1);
        if (size == 2) {
            if (method.equals("DELETE")) {
                return store.deleteSubject(subject);
            }
            requireMethod(method, "POST");
            Schema schema = parseSchema(body);
            store.versions(subject); // 40401 when the subject does not exist
            return versionJson(store.lookup(subject, schema));
        }
        if (!path.get(2).equals("versions") || size > 5) {
            throw new RegistryError(404, 404, "HTTP 404 Not Found");
        }
        if (size == 3) {
            if (method.equals("POST")) {
                Schema schema = parseSchema(body);
                int id = store.register(subject, schema);
                log.info("subject {}: schema id {} ({})", subject, id, schema.getFullName());
                return JSON.createObjectNode().put("id", id);
            }
            return only(method, "GET", store.versions(subject));
        }
        int version = versionNumber(path.get(3));
        if (size == 4) {
            if (method.equals("DELETE")) {
                return store.deleteVersion(subject, version);
            }
            requireMethod(method, "GET");
            return versionJson(store.version(subject, version));
        }
        if (path.get(4).equals("schema")) {
            requireMethod(method, "GET");
            return JSON.readTree(store.version(subject, version).schema());
        }
        throw new RegistryError(404, 404, "HTTP 404 Not Found");
    }

    private Object config(String method, String subject, int size, String query, InputStream body) throws IOException {
        if (size > 2) {
            throw new RegistryError(404, 404, "HTTP 404 Not Found");
        }
        switch (method) {
            case "GET" -> {
                CompatibilityLevel level = subject == null ? store.globalLevel()
                        : store.subjectLevel(subject).orElseGet(() -> {
                            if (query != null && query.contains("defaultToGlobal=true")) {
                                return store.globalLevel();
                            }
                            throw RegistryError.subjectConfigNotFound(subject);
                        });
                return JSON.createObjectNode().put("compatibilityLevel", level.name());
            }
            case "PUT" -> {
                JsonNode request = readJson(body);
                String text = request.path("compatibility").asString(request.path("compatibilityLevel").asString(""));
                CompatibilityLevel level = CompatibilityLevel.parse(text);
                store.setLevel(subject, level);
                return JSON.createObjectNode().put("compatibility", level.name());
            }
            case "DELETE" -> {
                if (subject != null) {
                    return JSON.createObjectNode().put("compatibilityLevel", store.clearLevel(subject).name());
                }
            }
            default -> {
                // 405 below
            }
        }
        throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed");
    }

    private String schemaById(String idText) {
        try {
            int id = Integer.parseInt(idText);
            return store.schemaById(id).orElseThrow(() -> RegistryError.schemaNotFound("Schema " + id));
        } catch (NumberFormatException e) {
            throw RegistryError.schemaNotFound("Schema " + idText);
        }
    }

    private static ObjectNode versionJson(SchemaStore.SchemaVersion v) {
        return JSON.createObjectNode().put("subject", v.subject()).put("version", v.version()).put("id", v.id())
                .put("schema", v.schema());
    }

    /** "latest" → -1 (as Confluent also accepts), otherwise 1 .. 2^31-1. */
    private static int versionNumber(String text) {
        if (text.equals("latest") || text.equals("-1")) {
            return -1;
        }
        try {
            int version = Integer.parseInt(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw RegistryError.invalidVersion(text);
    }

    private static Schema parseSchema(InputStream body) throws IOException {
        JsonNode request = readJson(body);
        String type = request.path("schemaType").asString("AVRO");
        if (!type.equals("AVRO")) {
            throw RegistryError.invalidSchema("schemaType " + type + " is not supported, only AVRO");
        }
        if (request.path("references").size() > 0) {
            throw RegistryError.invalidSchema("schema references are not supported by this registry");
        }
        JsonNode schema = request.get("schema");
        if (schema == null || !schema.isString() || schema.asString("").isBlank()) {
            throw RegistryError.invalidSchema("the request has no \"schema\" string");
        }
        try {
            return new Schema.Parser().parse(schema.asString(""));
        } catch (RuntimeException e) {
            throw RegistryError.invalidSchema(e.getMessage());
        }
    }

    private static void refuseDeclaredOversizedBody(String contentLength) {
        try {
            if (contentLength != null && Long.parseLong(contentLength.trim()) > MAX_BODY_BYTES) {
                throw bodyTooLarge();
            }
        } catch (NumberFormatException e) {
            throw new RegistryError(400, 400, "Content-Length is not a number");
        }
    }

    /** Reads and drops at most {@link #MAX_SWALLOW_BYTES} of what is left of a refused body. */
    private static void swallow(InputStream body) {
        try {
            long left = MAX_SWALLOW_BYTES;
            byte[] buffer = new byte[8192];
            int read;
            while (left > 0 && (read = body.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= read;
            }
        } catch (IOException e) {
            // the client stopped sending: nothing left to drop
        }
    }

    private static RegistryError bodyTooLarge() {
        return new RegistryError(413, 413, "The request body is larger than the limit of " + MAX_BODY_BYTES + " bytes");
    }

    private static JsonNode readJson(InputStream body) throws IOException {
        // a chunked body is read up to one byte past the limit, never further
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw bodyTooLarge();
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new RegistryError(400, 400, "The request body must be a JSON object");
            }
            return node;
        } catch (tools.jackson.core.JacksonException e) {
            throw new RegistryError(400, 400, "Unrecognized JSON in the request body: " + e.getOriginalMessage());
        }
    }

    private static Object only(String method, String allowed, Object answer) {
        requireMethod(method, allowed);
        return answer;
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed");
        }
    }

    /** Path segments, each URL-decoded, so subjects may contain any character. */
    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }
}
