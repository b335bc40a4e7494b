package com.messagingconnectors.replaycli;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
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

/**
 * Calls a service's HTTP API (integration-service, ingest-service, a sender's admin API) with the CLI's key; turns
 * problem+json answers into {@link AdminException}s carrying the exit code.
 */
final class AdminClient {
    // the CLI does not depend on the schemas module (whose Json mapper the services use); Jackson 2's defaults, as before
    static final ObjectMapper JSON = JsonMapper.builderWithJackson2Defaults().build();
    private static final Duration TIMEOUT = Duration.ofMinutes(5); // a replay chunk is paced by the rate limit

    private final URI sender;
    private final String adminKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminClient(String sender, String adminKey) {
        this(sender, adminKey, "--url");
    }

    private final String urlOption;

    AdminClient(String sender, String adminKey, String urlOption) {
        this.urlOption = urlOption;
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

    /** GET a path relative to the base URL. */
    JsonNode get(String path) {
        return call(HttpRequest.newBuilder(sender.resolve(path)).GET());
    }

    /** POST a JSON body (null: none) to a path relative to the base URL. */
    JsonNode post(String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(sender.resolve(path));
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return call(request);
    }

    JsonNode delete(String path) {
        return call(HttpRequest.newBuilder(sender.resolve(path)).DELETE());
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode call(HttpRequest.Builder request) {
        request.timeout(TIMEOUT).header("Accept", "application/json, application/problem+json")
                .header("Authorization", "Bearer " + adminKey);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AdminException(ReplayCli.EXIT_UNAVAILABLE, "cannot reach " + sender + ": "
                    + (e instanceof java.net.ConnectException ? "connection refused"
                            : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (is it running? " + urlOption + " sets its URL)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(ReplayCli.EXIT_UNAVAILABLE, "interrupted");
        }
        JsonNode body;
        try {
            body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw new AdminException(ReplayCli.EXIT_UNAVAILABLE, sender + " answered HTTP " + response.statusCode()
                    + " with something that is not JSON; is it the right service's URL (" + urlOption + ")?");
        }
        if (response.statusCode() / 100 == 2) {
            return body;
        }
        String title = body.path("title").asString("HTTP " + response.statusCode());
        String detail = body.path("detail").asString("");
        int exit = switch (response.statusCode()) {
            case 401, 403 -> ReplayCli.EXIT_DENIED;
            default -> response.statusCode() / 100 == 4 ? ReplayCli.EXIT_BAD_ARGUMENTS : ReplayCli.EXIT_UNAVAILABLE;
        };
        StringBuilder message = new StringBuilder(title);
        if (!detail.isBlank()) {
            message.append(": ").append(detail);
        }
        body.path("errors").forEach(error -> message.append(System.lineSeparator()).append("  - ")
                .append(error.path("field").asString("")).append(": ").append(error.path("problem").asString("")));
        if (body.has("problems") && body.get("problems").size() > 1) {
            body.get("problems").forEach(problem -> message.append(System.lineSeparator()).append("  - ")
                    .append(problem.asString("")));
        }
        throw new AdminException(exit, message.toString());
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
