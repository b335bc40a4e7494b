package com.messagingconnectors.replaycli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** Calls a sender's dead-letter admin API; turns problem+json answers into {@link AdminException}s. */
final class AdminClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(5); // a replay chunk is paced by the rate limit

    private final URI sender;
    private final String adminKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminClient(String sender, String adminKey) {
        this.sender = URI.create(sender.endsWith("/") ? sender : sender + "/");
        this.adminKey = adminKey;
    }

    /** GET /admin/dead-letters with the given query parameters (null values left out). */
    JsonNode list(Map<String, Object> query) {
        StringJoiner joined = new StringJoiner("&");
        query.forEach((name, value) -> {
            if (value instanceof Iterable<?> values) {
                values.forEach(v -> joined.add(name + "=" + encode(v.toString())));
            } else if (value != null) {
                joined.add(name + "=" + encode(value.toString()));
            }
        });
        String path = "admin/dead-letters" + (joined.length() == 0 ? "" : "?" + joined);
        return call(HttpRequest.newBuilder(sender.resolve(path)).GET());
    }

    /** POST /admin/dead-letters:replay with the JSON body. */
    JsonNode replay(ObjectNode body) {
        return call(HttpRequest.newBuilder(sender.resolve("admin/dead-letters:replay"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private JsonNode call(HttpRequest.Builder request) {
        request.timeout(TIMEOUT).header("Accept", "application/json, application/problem+json")
                .header("Authorization", "Bearer " + adminKey);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AdminException(ReplayCli.EXIT_UNAVAILABLE, "cannot reach the sender at " + sender + ": "
                    + (e instanceof java.net.ConnectException ? "connection refused"
                            : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (is it running? --sender sets its URL)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(ReplayCli.EXIT_UNAVAILABLE, "interrupted");
        }
        JsonNode body;
        try {
            body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AdminException(ReplayCli.EXIT_UNAVAILABLE, "the sender answered HTTP " + response.statusCode()
                    + " with something that is not JSON; is " + sender + " a sender's URL?");
        }
        if (response.statusCode() == 200) {
            return body;
        }
        String title = body.path("title").asText("HTTP " + response.statusCode());
        String detail = body.path("detail").asText("");
        int exit = switch (response.statusCode()) {
            case 400 -> ReplayCli.EXIT_BAD_ARGUMENTS;
            case 401, 403 -> ReplayCli.EXIT_DENIED;
            default -> ReplayCli.EXIT_UNAVAILABLE;
        };
        StringBuilder message = new StringBuilder(title);
        if (!detail.isBlank()) {
            message.append(": ").append(detail);
        }
        if (body.has("problems") && body.get("problems").size() > 1) {
            body.get("problems").forEach(problem -> message.append(System.lineSeparator()).append("  - ")
                    .append(problem.asText()));
        }
        throw new AdminException(exit, message.toString());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The call failed; {@code exitCode} is what the CLI exits with. */
    static final class AdminException extends RuntimeException {
        final int exitCode;

        AdminException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }
}
