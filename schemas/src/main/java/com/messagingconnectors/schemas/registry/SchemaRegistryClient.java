package com.messagingconnectors.schemas.registry;

import tools.jackson.core.JacksonException;
import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A small client for the Confluent Schema Registry REST API (also served by Karapace, Apicurio's ccompat API,
 * Redpanda and this project's embedded registry). Registrations, look-ups and schemas by id are cached:
 * ids never change once assigned, so after the first call per schema no request is made. Thread-safe.
 */
public class SchemaRegistryClient {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final ObjectMapper JSON = Json.MAPPER;

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;
    private final RegistrySecurity security;
    private final Map<SubjectSchema, Integer> idBySubjectAndSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();

    /** With the credentials and TLS settings of the environment ({@link RegistrySecurity}). */
    public SchemaRegistryClient(String baseUrl) {
        this(baseUrl, DEFAULT_TIMEOUT);
    }

    /** With the credentials and TLS settings of the environment ({@link RegistrySecurity}). */
    public SchemaRegistryClient(String baseUrl, Duration timeout) {
        this(baseUrl, timeout, RegistrySecurity.fromEnvironment());
    }

    public SchemaRegistryClient(String baseUrl, Duration timeout, RegistrySecurity security) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("schema registry url is required");
        }
        // Confluent's clients accept a comma-separated list; this single-URL client takes the first one.
        URI first;
        try {
            first = URI.create(baseUrl.split(",")[0].trim());
        } catch (IllegalArgumentException e) {
            // not the URL itself in the message: it may carry credentials
            throw new IllegalArgumentException("schema registry url is not a valid URL: " + e.getClass().getSimpleName());
        }
        if (first.getRawUserInfo() != null) {
            // credentials in the URL (Confluent's basic.auth.credentials.source=URL): used, then dropped from the URL
            security = RegistrySecurity.basic(first.getUserInfo()).withSsl(security.sslContext().orElse(null));
            first = URI.create(first.getScheme() + "://" + first.getRawAuthority().substring(
                    first.getRawAuthority().indexOf('@') + 1) + (first.getRawPath() == null ? "" : first.getRawPath()));
        }
        String url = first.toString();
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.timeout = timeout;
        this.security = security;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout);
        security.sslContext().ifPresent(http::sslContext);
        this.http = http.build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    RegistrySecurity security() {
        return security;
    }

    /** Registers the schema under the subject (idempotent on the registry side) and returns its global id. */
    public int register(String subject, Schema schema) {
        return idBySubjectAndSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
            int id = answer.path("id").asInt(0);
            schemaById.putIfAbsent(id, schema);
            return id;
        });
    }

    /**
     * The id of a schema already registered under the subject, without registering it
     * (for producers running with {@code auto.register.schemas=false}).
     */
    public int lookup(String subject, Schema schema) {
        return idBySubjectAndSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
            int id = answer.path("id").asInt(0);
            schemaById.putIfAbsent(id, schema);
            return id;
        });
    }

    /** The schema with this global id. */
    public Schema getById(int id) {
        return schemaById.computeIfAbsent(id, key -> {
            JsonNode answer = send("GET", "/schemas/ids/" + id, null);
            String type = answer.path("schemaType").asString("AVRO");
            if (!"AVRO".equals(type)) {
                throw new SchemaRegistryException(
                        "schema id " + id + " at " + baseUrl + " is a " + type + " schema, not Avro", 0, 0);
            }
            try {
                return new Schema.Parser().parse(answer.path("schema").asString(""));
            } catch (SchemaParseException e) {
                throw new SchemaRegistryException(
                        "schema id " + id + " at " + baseUrl + " is not a valid Avro schema: " + e.getMessage(), e);
            }
        });
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
        security.authorization().ifPresent(value -> request.header("Authorization", value));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl
                    + " is unreachable: no connection within " + timeout.toMillis() + " ms", e);
        } catch (HttpTimeoutException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl
                    + " did not answer " + method + " " + path + " within " + timeout.toMillis() + " ms", e);
        } catch (SSLException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " failed the TLS handshake (is "
                    + RegistrySecurity.SSL_TRUSTSTORE_LOCATION + " set to a store that trusts its certificate?): "
                    + e.getMessage(), e);
        } catch (ConnectException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl
                    + " is unreachable: connection refused", e);
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while calling schema registry at " + baseUrl, e);
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " refused " + method + " " + path
                    + " with HTTP " + response.statusCode() + ": " + (security.authenticates()
                    ? "the credentials were not accepted; check " + RegistrySecurity.BASIC_AUTH_USER_INFO + " / "
                            + RegistrySecurity.BEARER_AUTH_TOKEN + " (or SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO / "
                            + "SCHEMA_REGISTRY_BEARER_AUTH_TOKEN)"
                    : "it requires authentication; set " + RegistrySecurity.BASIC_AUTH_USER_INFO + " or "
                            + RegistrySecurity.BEARER_AUTH_TOKEN + " (or SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO / "
                            + "SCHEMA_REGISTRY_BEARER_AUTH_TOKEN)"),
                    response.statusCode(), answer.path("error_code").asInt(0));
        }
        if (response.statusCode() / 100 != 2) {
            int errorCode = answer.path("error_code").asInt(0);
            String message = answer.path("message").asString(response.body());
            throw new SchemaRegistryException("schema registry at " + baseUrl + " answered " + method + " " + path
                    + " with HTTP " + response.statusCode() + " (error_code " + errorCode + "): " + message,
                    response.statusCode(), errorCode);
        }
        return answer;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (JacksonException e) {
            // Not JSON (e.g. a proxy's HTML error page): keep the text as the message.
            return JSON.createObjectNode().put("message", body);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record SubjectSchema(String subject, Schema schema) {
    }
}
