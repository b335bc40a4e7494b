package com.messagingconnectors.config.kinds;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.EncryptedSecret;
import com.messagingconnectors.config.model.GoogleChatSpaceConfig;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.schemas.FieldError;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Chat: one incoming webhook per space ({@code https://chat.googleapis.com/v1/spaces/<space>/messages?key=…
 * &token=…}, created in the space under Apps &amp; integrations → Webhooks). The URL's key and token are the
 * credential, so the URL is sealed on the channel and write-only in the API.
 */
public final class GoogleChatKind implements ChannelKind {
    public static final GoogleChatKind DESCRIPTOR = new GoogleChatKind();

    /** Credential: a space's incoming-webhook URL, sealed per channel ({@link #webhookUrlPurpose}). */
    public static final String WEBHOOK_URL = "webhook_url";
    public static final int MAX_URL_LENGTH = 2048;
    /** The path of an incoming webhook, after any prefix (the sandbox serves it under /googlechat). */
    private static final Pattern WEBHOOK_PATH = Pattern.compile("(?:/[A-Za-z0-9._-]+)*/v1/spaces/([A-Za-z0-9_-]{1,128})"
            + "/messages");

    private GoogleChatKind() {
    }

    @Override
    public String id() {
        return "googlechat";
    }

    @Override
    public String displayName() {
        return "Google Chat";
    }

    @Override
    public Class<GoogleChatSpaceConfig> channelType() {
        return GoogleChatSpaceConfig.class;
    }

    @Override
    public List<String> credentialKeys() {
        return List.of(WEBHOOK_URL);
    }

    /** Channel ids are made up when not given: a space is known by its webhook. */
    @Override
    public boolean generatesChannelIds() {
        return true;
    }

    /** The associated data a space's webhook URL is sealed with: it opens only for that channel. */
    public static String webhookUrlPurpose(String workspaceId, String integrationId, String channelId) {
        return SecretPurposes.credential(workspaceId, integrationId, WEBHOOK_URL + "/" + channelId);
    }

    @Override
    public void validate(ChannelFields channel, String at, UrlCheck urls, List<FieldError> errors) {
        if (channel.url() == null || WebhookKind.MASKED.equals(channel.url())) {
            return; // keeps the stored URL; a new space without one is refused when it is built
        }
        String problem = urlProblem(channel.url());
        if (problem == null) {
            problem = urls.problem(channel.url());
        }
        if (problem != null) {
            errors.add(new FieldError(at + ".url", problem));
        }
    }

    /** Where Google Chat's incoming webhooks live. */
    public static final String HOST = "chat.googleapis.com";
    /** Loopback names a stand-in may use; the SSRF policy refuses them outside local mode (the local stack, tests). */
    private static final java.util.Set<String> LOOPBACK = java.util.Set.of("127.0.0.1", "localhost", "[::1]");

    /**
     * Whether {@code url} has the shape of a Google Chat incoming webhook on {@link #HOST}, or the problem. Loopback
     * is accepted here for the local stand-in only: the SSRF policy (checked apart, at connect time and at every
     * delivery) refuses it outside local mode, so in production only chat.googleapis.com can be reached. The problem
     * never echoes the URL (its key and token are the credential).
     */
    public static String urlProblem(String url) {
        String expected = "must be the space's incoming-webhook URL, "
                + "https://chat.googleapis.com/v1/spaces/<space>/messages?key=…&token=…";
        if (url.length() > MAX_URL_LENGTH) {
            return "must be at most " + MAX_URL_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return expected;
        }
        if (uri.getHost() == null || !(HOST.equalsIgnoreCase(uri.getHost())
                || LOOPBACK.contains(uri.getHost().toLowerCase(java.util.Locale.ROOT)))) {
            return expected;
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null
                || uri.getRawPath() == null || !WEBHOOK_PATH.matcher(uri.getRawPath()).matches()) {
            return expected;
        }
        List<String> query = uri.getRawQuery() == null ? List.of() : Arrays.asList(uri.getRawQuery().split("&"));
        if (query.stream().noneMatch(p -> p.startsWith("key=") && p.length() > 4)
                || query.stream().noneMatch(p -> p.startsWith("token=") && p.length() > 6)) {
            return expected + " (the key and token are missing)";
        }
        return null;
    }

    /** The space id in a webhook URL's path ({@code spaces/<space>}), or null. */
    public static String spaceOf(String url) {
        try {
            String path = new URI(url).getRawPath();
            Matcher m = path == null ? null : WEBHOOK_PATH.matcher(path);
            return m != null && m.matches() ? m.group(1) : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    @Override
    public ChannelConfig build(String channelId, ChannelFields requested, ChannelConfig stored, ChannelSealing sealing,
                               String at, List<FieldError> errors) {
        GoogleChatSpaceConfig old = (GoogleChatSpaceConfig) stored;
        EncryptedSecret url;
        if (requested.url() != null && !WebhookKind.MASKED.equals(requested.url())) {
            url = sealing.seal(requested.url().strip(),
                    webhookUrlPurpose(sealing.workspaceId(), sealing.integrationId(), channelId));
        } else if (old != null && old.webhookUrl() != null) {
            url = old.webhookUrl();
        } else {
            errors.add(new FieldError(at + ".url", "is required: the space's incoming-webhook URL"));
            url = null;
        }
        String name = requested.name() != null ? requested.name()
                : requested.url() != null && spaceOf(requested.url()) != null ? "spaces/" + spaceOf(requested.url())
                : old != null ? old.name() : channelId;
        return new GoogleChatSpaceConfig(channelId, name, url, requested.enabled() == null || requested.enabled());
    }

    /** The webhook URL is write-only: shown masked, and the mask given back keeps it. */
    @Override
    public ChannelFields fields(ChannelConfig stored) {
        return new ChannelFields.Of(stored.id(), stored.name(), null, WebhookKind.MASKED, null, null, null,
                stored.enabled());
    }
}
