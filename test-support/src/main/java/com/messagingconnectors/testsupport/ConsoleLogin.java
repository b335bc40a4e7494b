package com.messagingconnectors.testsupport;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signing in at integration-service's console login form the way a browser does: GET the form (it sets the login
 * cookie and holds the matching form token, and the return path when it has one), then POST it with the API key.
 */
public final class ConsoleLogin {
    public static final String SESSION_COOKIE = "mc_console";
    private static final String FORM_COOKIE = "mc_login";

    private ConsoleLogin() {
    }

    /** The form as served at {@code loginPage}: its fields (csrf, return) and the login cookie ({@code name=value}). */
    public record Form(Map<String, String> fields, String cookie, HttpResponse<String> page) {
    }

    public static Form open(HttpClient http, URI loginPage) throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(loginPage).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = Pattern.compile("type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(page.body());
        while (hidden.find()) {
            fields.put(hidden.group(1), hidden.group(2).replace("&amp;", "&"));
        }
        if (!fields.containsKey("csrf")) {
            throw new AssertionError("no login form at " + loginPage + " (HTTP " + page.statusCode() + "): "
                    + page.body());
        }
        return new Form(fields, cookie(page, FORM_COOKIE), page);
    }

    /** Opens the form at {@code loginPage} and submits it with {@code apiKey}; the answer (303 when signed in). */
    public static HttpResponse<String> signIn(HttpClient http, URI loginPage, String apiKey) throws Exception {
        Form form = open(http, loginPage);
        Map<String, String> fields = new LinkedHashMap<>(form.fields());
        fields.put("apiKey", apiKey);
        return post(http, loginPage.resolve("/console/login"), fields, form.cookie(), Map.of());
    }

    /** A form POST with a Cookie header (may be null) and extra headers. */
    public static HttpResponse<String> post(HttpClient http, URI uri, Map<String, String> fields, String cookie,
                                            Map<String, String> headers) throws Exception {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code name=value} of the cookie {@code response} sets, for a Cookie header. */
    public static String cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new AssertionError("no cookie " + name + " in " + response.headers().map()));
    }
}
