package com.messagingconnectors.config.kinds;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.EncryptedSecret;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.routing.TypePattern;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.schemas.FieldError;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Generic HTTPS webhooks: endpoints with their URL, type filter, custom headers (sealed) and signing secrets. */
public final class WebhookKind implements ChannelKind {
    public static final WebhookKind DESCRIPTOR = new WebhookKind();

    /** What the API shows for a write-only value (a header value); given back, it keeps the stored value. */
    public static final String MASKED = "********";
    public static final int MAX_HEADERS = 20;
    public static final int MAX_HEADER_VALUE = 2048;
    /** An RFC 9110 token (the characters a header name may have), bounded. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    /** Headers the sender sets itself or that shape the HTTP exchange: a tenant may not set or replace them. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "content-encoding",
            "host", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "expect",
            "proxy-authorization", "proxy-connection", "user-agent", "cookie");
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookKind() {
    }

    @Override
    public String id() {
        return "webhook";
    }

    @Override
    public String displayName() {
        return "Webhook";
    }

    @Override
    public Class<WebhookEndpointConfig> channelType() {
        return WebhookEndpointConfig.class;
    }

    /** Webhook secrets live on each endpoint (signing secrets, sealed headers), not on the integration. */
    @Override
    public List<String> credentialKeys() {
        return List.of();
    }

    @Override
    public boolean generatesChannelIds() {
        return true;
    }

    @Override
    public void validate(ChannelFields channel, String at, UrlCheck urls, List<FieldError> errors) {
        String urlProblem = channel.url() == null || channel.url().isBlank() ? "is required for a webhook endpoint"
                : urls.problem(channel.url());
        if (urlProblem != null) {
            errors.add(new FieldError(at + ".url", urlProblem));
        }
        List<String> types = channel.types() == null ? List.of() : channel.types();
        for (int t = 0; t < types.size(); t++) {
            String problem = TypePattern.problem(types.get(t));
            if (problem != null) {
                errors.add(new FieldError(at + ".types[" + t + "]", problem));
            }
        }
        validateHeaders(channel.headers(), at + ".headers", errors);
    }

    /** Custom webhook headers: names an endpoint may receive, values on one line; null keeps the stored value. */
    private static void validateHeaders(Map<String, String> headers, String at, List<FieldError> errors) {
        if (headers == null) {
            return;
        }
        if (headers.size() > MAX_HEADERS) {
            errors.add(new FieldError(at, "at most " + MAX_HEADERS + " custom headers, has " + headers.size()));
            return;
        }
        Set<String> seen = new HashSet<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            String field = at + "." + (name.length() > 64 ? name.substring(0, 64) + "…" : name);
            if (!HEADER_NAME.matcher(name).matches()) {
                errors.add(new FieldError(field, "is not a header name: 1-64 characters of letters, digits and"
                        + " !#$%&'*+-.^_`|~"));
            } else if (RESERVED_HEADERS.contains(lower) || lower.startsWith("webhook-")) {
                errors.add(new FieldError(field, "is set by the sender itself (webhook-* signature headers, Host,"
                        + " Content-Length, Transfer-Encoding, …) and cannot be a custom header"));
            } else if (!seen.add(lower)) {
                errors.add(new FieldError(field, "is given twice (header names are case-insensitive)"));
            } else if (value != null && value.length() > MAX_HEADER_VALUE) {
                errors.add(new FieldError(field, "must be at most " + MAX_HEADER_VALUE + " characters"));
            } else if (value != null && value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                errors.add(new FieldError(field, "must be a single line without control characters (no CR or LF)"));
            }
        });
    }

    @Override
    public ChannelConfig build(String channelId, ChannelFields requested, ChannelConfig stored, ChannelSealing sealing,
                               String at, List<FieldError> errors) {
        WebhookEndpointConfig old = (WebhookEndpointConfig) stored;
        List<EncryptedSecret> signing;
        java.time.Instant previousExpireAt = null;
        if (old != null && !old.signingSecrets().isEmpty()) {
            signing = old.signingSecrets();
            previousExpireAt = old.previousSigningSecretsExpireAt();
        } else {
            String secret = newSigningSecret();
            signing = List.of(sealing.seal(secret,
                    SecretPurposes.signing(sealing.workspaceId(), sealing.integrationId(), channelId)));
            sealing.showOnce(channelId, secret);
        }
        Map<String, EncryptedSecret> headers = sealHeaders(sealing, channelId, requested.headers(), old,
                at + ".headers", errors);
        return new WebhookEndpointConfig(channelId, requested.name() != null ? requested.name() : channelId,
                requested.url(), requested.description(), requested.types(), null, signing,
                requested.enabled() == null || requested.enabled(), headers, previousExpireAt);
    }

    /**
     * Custom headers as stored: every value sealed. A value given is sealed; null (or {@link #MASKED}) keeps the
     * stored value of that name, sealing it now if it was stored in plain text before headers were sealed.
     */
    private static Map<String, EncryptedSecret> sealHeaders(ChannelSealing sealing, String channelId,
                                                            Map<String, String> requested, WebhookEndpointConfig old,
                                                            String at, List<FieldError> errors) {
        Map<String, EncryptedSecret> out = new LinkedHashMap<>();
        if (requested == null) {
            return out;
        }
        requested.forEach((name, value) -> {
            String purpose = SecretPurposes.header(sealing.workspaceId(), sealing.integrationId(), channelId, name);
            if (value != null && !MASKED.equals(value)) {
                out.put(name, sealing.seal(value, purpose));
                return;
            }
            EncryptedSecret kept = old == null ? null : ignoringCase(old.sealedHeaders(), name);
            String plain = old == null ? null : ignoringCase(old.headers(), name);
            if (kept != null) {
                out.put(name, kept);
            } else if (plain != null) {
                out.put(name, sealing.seal(plain, purpose));
            } else {
                errors.add(new FieldError(at + "." + name, "has no stored value to keep: give the header's value"));
            }
        });
        return out;
    }

    private static <V> V ignoringCase(Map<String, V> map, String name) {
        return map.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** Every header name with a null value: "keep what is stored" (values are write-only). */
    @Override
    public ChannelFields fields(ChannelConfig stored) {
        WebhookEndpointConfig endpoint = (WebhookEndpointConfig) stored;
        Map<String, String> keep = new LinkedHashMap<>();
        endpoint.headerNames().forEach(name -> keep.put(name, null));
        return new ChannelFields.Of(endpoint.id(), endpoint.name(), null, endpoint.url(), endpoint.description(),
                endpoint.types(), keep, endpoint.enabled());
    }

    /** Standard Webhooks secret: {@code whsec_} + base64 of 24 random bytes. */
    public static String newSigningSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().encodeToString(bytes);
    }
}
