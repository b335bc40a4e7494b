package com.messagingconnectors.integration.console;

import tools.jackson.core.JacksonException;
import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.integration.domain.DomainException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The senders' dead-letter admin API ({@code GET /admin/dead-letters}, {@code POST /admin/dead-letters:replay}), called
 * with the operator key on behalf of an operator's console session. The senders' addresses are configuration
 * ({@code connectors.console.senders.<kind>}), never input.
 */
@Component
class SenderAdmin {
    static final Set<String> FILTERS = Set.of("workspace", "destination", "type", "error", "from", "to");
    private static final ObjectMapper JSON = Json.MAPPER;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, String> senders;
    private final String operatorKey;

    SenderAdmin(ConsoleProperties properties, @Value("${connectors.security.admin-api-key:}") String operatorKey) {
        this.senders = properties.senders();
        this.operatorKey = operatorKey;
    }

    List<String> senders() {
        return List.copyOf(senders.keySet());
    }

    JsonNode list(String sender, Map<String, String> filters) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(base(sender) + "/admin/dead-letters");
        filters.forEach((name, value) -> {
            if (FILTERS.contains(name) && value != null && !value.isBlank()) {
                uri.queryParam(name, value.strip());
            }
        });
        uri.queryParam("limit", "200");
        return call(sender, HttpRequest.newBuilder(uri.encode().build().toUri()).GET());
    }

    /** A replay (or its dry run) of the dead letters matching {@code filters}, or exactly {@code records}. */
    JsonNode replay(String sender, Map<String, String> filters, List<String> records, boolean dryRun) {
        ObjectNode body = JSON.createObjectNode();
        filters.forEach((name, value) -> {
            if (FILTERS.contains(name) && value != null && !value.isBlank()) {
                body.put(name, value.strip());
            }
        });
        if (records != null && !records.isEmpty()) {
            body.set("records", JSON.valueToTree(records));
        }
        body.put("dryRun", dryRun);
        return call(sender, HttpRequest.newBuilder(URI.create(base(sender) + "/admin/dead-letters:replay"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private String base(String sender) {
        String base = senders.get(sender);
        if (base == null) {
            throw new DomainException.NotFound("sender " + sender + " (configured: " + senders.keySet() + ")");
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private JsonNode call(String sender, HttpRequest.Builder request) {
        if (operatorKey == null || operatorKey.isBlank()) {
            throw new DomainException.Unavailable("no operator key is configured on"
                    + " integration-service (CONNECTORS_ADMIN_API_KEY), so it cannot call the senders' admin API");
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.header("Authorization", "Bearer " + operatorKey)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DomainException.UpstreamFailed("The " + sender + " sender cannot be reached at "
                    + senders.get(sender) + " (" + e.getClass().getSimpleName() + "). Is it running, and is"
                    + " connectors.console.senders." + sender + " its address? Nothing was changed.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DomainException.Unavailable("interrupted");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw new DomainException.UpstreamFailed("the " + sender + " sender answered HTTP "
                    + response.statusCode() + " without JSON");
        }
        if (response.statusCode() != 200) {
            String detail = body.path("detail").asString("HTTP " + response.statusCode());
            throw new DomainException.UpstreamFailed("the " + sender + " sender refused: " + detail,
                    response.statusCode());
        }
        return body;
    }
}
