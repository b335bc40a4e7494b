package com.messagingconnectors.sandbox;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Slack stand-in clicked through the way integration-service and slack-sender use it (form-encoded, like the SDK). */
class SlackSandboxTest {
    static final ObjectMapper JSON = SandboxJson.MAPPER;
    final HttpClient http = HttpClient.newHttpClient();
    SandboxServer sandbox;

    @BeforeEach
    void start() throws Exception {
        sandbox = new SandboxServer(0).start();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void installListChannelsAndPostAMessageThatShowsReadably() throws Exception {
        String redirect = "http://127.0.0.1:8085/oauth/slack/callback";
        var page = get("/slack/oauth/v2/authorize?client_id=123.456&scope=" + enc("chat:write,channels:read")
                + "&redirect_uri=" + enc(redirect) + "&state=st1");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Allow", "Cancel", "chat:write", "Sandbox Team");
        Matcher allow = Pattern.compile("href=\"([^\"]+)\">Allow").matcher(page.body());
        assertThat(allow.find()).isTrue();
        String back = allow.group(1).replace("&amp;", "&");
        assertThat(back).startsWith(redirect + "?code=").endsWith("&state=st1");
        assertThat(page.body()).contains(redirect.replace("&", "&amp;") + "?error=access_denied&amp;state=st1");
        String code = URLDecoder.decode(back.replaceAll(".*code=([^&]+).*", "$1"), StandardCharsets.UTF_8);

        JsonNode wrongRedirect = api("oauth.v2.access", null, "code=" + enc(code) + "&redirect_uri=" + enc("http://evil/"));
        assertThat(wrongRedirect.get("error").asString("")).isEqualTo("bad_redirect_uri");
        var codeUsed = api("oauth.v2.access", null, "code=" + enc(code) + "&redirect_uri=" + enc(redirect));
        assertThat(codeUsed.get("error").asString("")).isEqualTo("invalid_code"); // a code works once, even a refused one

        String code2 = URLDecoder.decode(Pattern.compile("code=([^&\"]+)").matcher(get("/slack/oauth/v2/authorize"
                + "?client_id=1&redirect_uri=" + enc(redirect) + "&state=s").body()).results().findFirst().orElseThrow()
                .group(1), StandardCharsets.UTF_8);
        JsonNode token = api("oauth.v2.access", null, "code=" + enc(code2) + "&redirect_uri=" + enc(redirect));
        assertThat(token.get("ok").asBoolean(false)).isTrue();
        assertThat(token.get("token_type").asString("")).isEqualTo("bot");
        assertThat(token.at("/team/name").asString("")).isEqualTo("Sandbox Team");
        String bot = token.get("access_token").asString("");

        assertThat(api("auth.test", bot, "").get("team_id").asString("")).isEqualTo("T0SANDBOX");
        assertThat(api("auth.test", "xoxb-not-ours", "").get("error").asString("")).isEqualTo("invalid_auth");

        List<String> names = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode list = api("conversations.list", bot, "types=public_channel%2Cprivate_channel&exclude_archived=true"
                    + "&limit=2&cursor=" + cursor);
            list.get("channels").forEach(c -> names.add(c.get("name").asString("")));
            cursor = list.at("/response_metadata/next_cursor").asString("");
        } while (!cursor.isEmpty());
        assertThat(names).containsExactly("general", "analytics-team", "security", "on-call");
        assertThat(api("conversations.join", bot, "channel=C0ANALYTICS").get("ok").asBoolean(false)).isTrue();

        String blocks = "[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"Report completed\"}},"
                + "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"&lt;!channel&gt; *Weekly* is ready\"}},"
                + "{\"type\":\"actions\",\"elements\":[{\"type\":\"button\",\"text\":{\"type\":\"plain_text\","
                + "\"text\":\"Open\"},\"url\":\"https://app.example.com/r/1\"}]}]";
        JsonNode posted = api("chat.postMessage", bot, "channel=C0ANALYTICS&text=" + enc("Report completed")
                + "&blocks=" + enc(blocks));
        assertThat(posted.get("ok").asBoolean(false)).isTrue();
        assertThat(api("chat.postMessage", bot, "channel=C0NOPE&text=x").get("error").asString(""))
                .isEqualTo("channel_not_found");
        assertThat(api("chat.postMessage", bot, "channel=C0OLD&text=x").get("error").asString("")).isEqualTo("is_archived");

        JsonNode messages = JSON.readTree(get("/slack/api/messages").body());
        assertThat(messages).hasSize(1);
        assertThat(messages.at("/0/channelName").asString("")).isEqualTo("#analytics-team");
        String shown = get("/slack").body();
        assertThat(shown).contains("<h3>Report completed</h3>").contains("&lt;!channel&gt; <b>Weekly</b> is ready")
                .contains("href=\"https://app.example.com/r/1\"").doesNotContain("<!channel>");
        // the token never shows on the sandbox's pages
        assertThat(get("/api/requests").body()).doesNotContain(bot);

        assertThat(post("/slack/admin/uninstall", null, "").statusCode()).isEqualTo(200);
        assertThat(api("chat.postMessage", bot, "channel=C0ANALYTICS&text=x").get("error").asString(""))
                .isEqualTo("token_revoked");
    }

    @Test
    void moreThanABurstPerChannelIsAnswered429WithRetryAfter() throws Exception {
        String bot = "xoxb-sandbox-test";
        int accepted = 0;
        HttpResponse<String> limited = null;
        for (int i = 0; i < 20 && limited == null; i++) {
            var answer = post("/slack/api/chat.postMessage", bot, "channel=C0GENERAL&text=m" + i);
            if (answer.statusCode() == 429) {
                limited = answer;
            } else {
                accepted++;
            }
        }
        assertThat(limited).isNotNull();
        assertThat(accepted).isGreaterThanOrEqualTo(5);
        assertThat(limited.headers().firstValue("Retry-After")).contains("1");
        assertThat(JSON.readTree(limited.body()).get("error").asString("")).isEqualTo("ratelimited");
        // another channel has its own allowance
        assertThat(post("/slack/api/chat.postMessage", bot, "channel=C0ONCALL&text=x").statusCode()).isEqualTo(200);
        // bench channels exist on demand and are counted, duplicates once
        post("/slack/api/chat.postMessage", bot, "channel=C0BENCH007&text=b1");
        post("/slack/api/chat.postMessage", bot, "channel=C0BENCH008&text=b2");
        post("/slack/api/chat.postMessage", bot, "channel=C0BENCH008&text=b2");
        JsonNode stats = JSON.readTree(get("/slack/api/stats").body());
        assertThat(stats.get("rateLimited").asLong(0)).isEqualTo(1);
        assertThat(stats.get("posted").asLong(0)).isEqualTo(accepted + 4);
        assertThat(stats.get("benchPosts").asLong(0)).isEqualTo(3);
        assertThat(stats.get("benchDistinct").asLong(0)).isEqualTo(2);
    }

    @Test
    void aPostedMessageCanBeEditedInPlaceAndAnsweredInItsThread() throws Exception {
        String bot = "xoxb-sandbox-test";
        JsonNode posted = api("chat.postMessage", bot, "channel=C0ONCALL&text=" + enc("🚨 CPU high") + "&blocks="
                + enc("[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"🚨 CPU high\"}}]"));
        String ts = posted.get("ts").asString("");

        JsonNode updated = api("chat.update", bot, "channel=C0ONCALL&ts=" + enc(ts) + "&text=" + enc("✅ Resolved: CPU high")
                + "&blocks=" + enc("[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":"
                + "\"✅ Resolved: 🚨 CPU high\"}}]") + "&attachments=" + enc("[{\"color\":\"#2eb886\",\"blocks\":"
                + "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*Resolved* 10:05\"}}]}]"));
        assertThat(updated.get("ok").asBoolean(false)).isTrue();
        assertThat(updated.get("ts").asString("")).isEqualTo(ts);
        JsonNode reply = api("chat.postMessage", bot, "channel=C0ONCALL&thread_ts=" + enc(ts) + "&text=" + enc("back to normal"));
        assertThat(reply.get("ok").asBoolean(false)).isTrue();

        assertThat(api("chat.update", bot, "channel=C0ONCALL&ts=1.000001&text=x").get("error").asString(""))
                .isEqualTo("message_not_found");
        assertThat(api("chat.postMessage", bot, "channel=C0ONCALL&thread_ts=1.000001&text=x").get("error").asString(""))
                .isEqualTo("thread_not_found");

        JsonNode messages = JSON.readTree(get("/slack/api/messages").body());
        JsonNode original = null;
        for (JsonNode m : messages) {
            if (ts.equals(m.path("ts").asString(""))) {
                original = m;
            }
        }
        assertThat(original).isNotNull();
        assertThat(original.get("edited").asBoolean(false)).isTrue();
        assertThat(original.get("text").asString("")).isEqualTo("✅ Resolved: CPU high");
        assertThat(original.at("/blocks/0/text/text").asString("")).isEqualTo("✅ Resolved: 🚨 CPU high");
        assertThat(original.at("/attachments/0/color").asString("")).isEqualTo("#2eb886");
        assertThat(original.get("replies").get(0).asString("")).isEqualTo("back to normal");
        String page = get("/slack").body();
        assertThat(page).contains("(edited)", "✅ Resolved: 🚨 CPU high", "border-left-color:#2eb886",
                "reply in thread: </span>back to normal");
    }

    private JsonNode api(String method, String token, String form) throws Exception {
        var answer = post("/slack/api/" + method, token, form);
        assertThat(answer.statusCode()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> post(String path, String token, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.url() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sandbox.url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
