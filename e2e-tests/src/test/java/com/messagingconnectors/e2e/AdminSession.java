package com.messagingconnectors.e2e;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.testsupport.ConsoleLogin;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A workspace admin at work, over HTTP only: the integrations API with an API key, a browser that keeps cookies (the
 * console session and the connect flows') and follows no redirect by itself, and the platform posting events to ingest. Also knows when the
 * router has applied the admin's last change (its workspace gauge).
 */
final class AdminSession {
    private static final ObjectMapper JSON = Json.MAPPER;

    private final ServiceProcess integrations;
    private final ServiceProcess ingest;
    private final ServiceProcess router;
    private final String apiKey;
    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    AdminSession(ServiceProcess integrations, ServiceProcess ingest, ServiceProcess router, String apiKey) {
        this.integrations = integrations;
        this.ingest = ingest;
        this.router = router;
        this.apiKey = apiKey;
    }

    /** An integration-service API call that must answer {@code expectedStatus}; its JSON body. */
    JsonNode api(String method, String path, String body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(integrations.url(path))
                .header("authorization", "Bearer " + apiKey)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        HttpResponse<String> response = browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expectedStatus);
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** The browser opens {@code uri} (its cookies go along). */
    HttpResponse<String> get(URI uri) throws Exception {
        return browser.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The admin opens a connect link the API gave them. It is for a console session of the key that asked, so a
     * browser without one is sent to the console login first; the admin signs in there with their key and is sent
     * on to the link. Returns the link's answer (a redirect to the provider when all is well).
     */
    HttpResponse<String> openConnectLink(String startUrl) throws Exception {
        URI link = URI.create(startUrl);
        HttpResponse<String> opened = get(link);
        if (opened.statusCode() != 302 || !location(opened).toString().startsWith("/console/login?")) {
            return opened;
        }
        HttpResponse<String> signedIn = ConsoleLogin.signIn(browser, link.resolve(location(opened)), apiKey);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertThat(link.resolve(location(signedIn))).isEqualTo(link);
        return get(link);
    }

    /**
     * Creates a Slack integration at {@code base} (a workspace's …/integrations) and connects it as the admin does:
     * the connect link, the console login, the provider's Allow page, back to the callback. Returns its id.
     */
    String connectSlack(String base) throws Exception {
        String id = api("POST", base, "{\"kind\":\"slack\",\"name\":\"Slack\"}", 201).get("id").asString("");
        String startUrl = api("POST", base + "/" + id + "/slack:connect", null, 200).get("startUrl").asString("");
        HttpResponse<String> start = openConnectLink(startUrl);
        assertThat(start.statusCode()).isEqualTo(302);
        HttpResponse<String> allowPage = get(location(start));
        HttpResponse<String> connected = get(buttonLink(allowPage.body(),
                "<a class=\"button\" href=\"([^\"]+)\">Allow</a>"));
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        return id;
    }

    /** A button on a page that POSTs (e.g. a stand-in's admin action). */
    HttpResponse<String> post(URI uri) throws Exception {
        return browser.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static URI location(HttpResponse<?> response) {
        return URI.create(response.headers().firstValue("location").orElseThrow());
    }

    /** Where a page's button leads: group 1 of {@code hrefPattern} (its href), the HTML escaping undone. */
    static URI buttonLink(String page, String hrefPattern) {
        Matcher button = Pattern.compile(hrefPattern).matcher(page);
        assertThat(button.find()).as("%s on %s", hrefPattern, page).isTrue();
        return URI.create(button.group(1).replace("&amp;", "&"));
    }

    /** The id of the picker option (team, channel) with this name. */
    static String idNamed(JsonNode options, String name) {
        for (JsonNode option : options) {
            if (name.equals(option.get("name").asString(""))) {
                return option.get("id").asString("");
            }
        }
        throw new AssertionError(name + " not among " + options);
    }

    /** POSTs an event to ingest with {@code key} (retried until ingest has seen a new key); returns its id. */
    String ingestEvent(String key, String ws, String type, String summary, String payload) {
        String eventId = UUID.randomUUID().toString();
        String event = """
                {"id": "%s", "type": "%s", "workspaceId": "%s", "occurredAt": "2026-11-28T08:15:30Z",
                 "level": "info", "summary": "%s", "link": "https://app.example.com/items/1", "payload": %s}
                """.formatted(eventId, type, ws, summary.replace("\"", "\\\""), payload);
        await("ingest accepts the event").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> browser.send(HttpRequest.newBuilder(ingest.url("/v1/events"))
                        .header("content-type", "application/json").header("authorization", "Bearer " + key)
                        .POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() / 100 == 2);
        return eventId;
    }

    /**
     * Waits until the router has applied the admin's last change. connectors.config is one partition read in
     * order, so once the router counts a workspace created after that change, it has the change too.
     */
    void awaitRouterSawTheChange(double workspacesBefore) throws Exception {
        String probe = "ws_probe_" + UUID.randomUUID().toString().substring(0, 8);
        api("POST", "/v1/workspaces/" + probe + "/integrations", "{\"kind\":\"slack\",\"name\":\"Probe\"}", 201);
        await("router sees the new configuration").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> routerWorkspaceCount() >= workspacesBefore + 2);
    }

    double routerWorkspaceCount() throws Exception {
        String metrics = get(router.url("/actuator/prometheus")).body();
        Matcher gauge = Pattern.compile("(?m)^connectors_router_config_workspaces(\\{[^}]*})? ([0-9.eE+-]+)$")
                .matcher(metrics);
        assertThat(gauge.find()).as("router gauge in %s", metrics).isTrue();
        return Double.parseDouble(gauge.group(2));
    }
}
