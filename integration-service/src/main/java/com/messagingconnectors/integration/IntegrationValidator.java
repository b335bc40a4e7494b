package com.messagingconnectors.integration;

import com.messagingconnectors.config.model.AttributeMatch;
import com.messagingconnectors.config.routing.AttributeRegex;
import com.messagingconnectors.config.routing.TypePattern;
import com.messagingconnectors.integration.api.Dtos.ChannelRequest;
import com.messagingconnectors.integration.api.Dtos.IntegrationRequest;
import com.messagingconnectors.integration.api.Dtos.RuleRequest;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.FieldError;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks an integration request and names every bad field (JSON-path-ish, e.g. {@code rules[1].match.types[0]}). */
final class IntegrationValidator {
    static final Set<String> KINDS = Set.of("slack", "teams", "webhook");
    static final Set<String> LEVELS = Set.of("info", "warning", "alert");
    private static final int MAX_NAME = 100;
    private static final Pattern CHANNEL_ID = Pattern.compile("[A-Za-z0-9_:@.-]{1,128}");
    /** An RFC 9110 token (the characters a header name may have), bounded. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    /** Headers the sender sets itself or that shape the HTTP exchange: a tenant may not set or replace them. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "content-encoding",
            "host", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "expect",
            "proxy-authorization", "proxy-connection", "user-agent", "cookie");
    static final int MAX_HEADERS = 20;
    static final int MAX_HEADER_VALUE = 2048;

    private final CustomerUrls customerUrls;

    IntegrationValidator(CustomerUrls customerUrls) {
        this.customerUrls = customerUrls;
    }

    List<FieldError> validate(IntegrationRequest request, List<String> otherNamesInWorkspace) {
        List<FieldError> errors = new ArrayList<>();
        if (request.kind() == null || !KINDS.contains(request.kind())) {
            errors.add(new FieldError("kind", "must be one of slack, teams, webhook"));
        }
        if (request.name() == null || request.name().isBlank() || request.name().length() > MAX_NAME) {
            errors.add(new FieldError("name", "is required, 1 to " + MAX_NAME + " characters"));
        } else if (otherNamesInWorkspace.stream().anyMatch(n -> n.equalsIgnoreCase(request.name().strip()))) {
            errors.add(new FieldError("name", "another integration of this workspace is already called '"
                    + request.name().strip() + "'"));
        }
        if (request.notificationTypes() != null) {
            request.notificationTypes().forEach((type, on) -> {
                if (type.length() > EventJson.MAX_TYPE_LENGTH || !EventJson.TYPE_PATTERN.matcher(type).matches()) {
                    errors.add(new FieldError("notificationTypes." + type,
                            "is not an event type (lower-case dotted, e.g. report.completed, at most "
                                    + EventJson.MAX_TYPE_LENGTH + " characters)"));
                } else if (on == null) {
                    errors.add(new FieldError("notificationTypes." + type, "must be true or false"));
                }
            });
        }
        Set<String> channelIds = new HashSet<>();
        List<ChannelRequest> channels = request.channels() == null ? List.of() : request.channels();
        for (int i = 0; i < channels.size(); i++) {
            validateChannel(request.kind(), channels.get(i), "channels[" + i + "]", channelIds, errors);
        }
        if (request.defaultChannelId() != null && !channelIds.contains(request.defaultChannelId())) {
            errors.add(new FieldError("defaultChannelId", "unknown channel '" + request.defaultChannelId()
                    + "': it must be the id of one of this integration's channels"));
        }
        validateRules(request.rules(), channelIds, "rules", errors);
        return errors;
    }

    void validateRules(List<RuleRequest> rules, Set<String> channelIds, String path, List<FieldError> errors) {
        if (rules == null) {
            return;
        }
        Set<String> ruleIds = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            RuleRequest rule = rules.get(i);
            String at = path + "[" + i + "]";
            if (rule == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            if (rule.id() != null && !ruleIds.add(rule.id())) {
                errors.add(new FieldError(at + ".id", "duplicate rule id '" + rule.id() + "'"));
            }
            if (rule.channelId() == null || !channelIds.contains(rule.channelId())) {
                errors.add(new FieldError(at + ".channelId", "unknown channel '" + rule.channelId()
                        + "': it must be the id of one of this integration's channels"));
            }
            if (rule.match() == null) {
                continue; // matches everything
            }
            List<String> types = rule.match().types() == null ? List.of() : rule.match().types();
            for (int t = 0; t < types.size(); t++) {
                String problem = TypePattern.problem(types.get(t));
                if (problem != null) {
                    errors.add(new FieldError(at + ".match.types[" + t + "]", problem));
                }
            }
            List<String> levels = rule.match().levels() == null ? List.of() : rule.match().levels();
            for (int l = 0; l < levels.size(); l++) {
                if (!LEVELS.contains(levels.get(l))) {
                    errors.add(new FieldError(at + ".match.levels[" + l + "]", "must be info, warning or alert"));
                }
            }
            List<AttributeMatch> attributes = rule.match().attributes() == null ? List.of() : rule.match().attributes();
            for (int a = 0; a < attributes.size(); a++) {
                validateAttribute(attributes.get(a), at + ".match.attributes[" + a + "]", errors);
            }
        }
    }

    private static void validateAttribute(AttributeMatch condition, String at, List<FieldError> errors) {
        if (condition.key() == null || condition.key().isBlank()) {
            errors.add(new FieldError(at + ".key", "is required"));
        }
        if ((condition.equals() == null) == (condition.regex() == null)) {
            errors.add(new FieldError(at, "give exactly one of 'equals' or 'regex'"));
        }
        if (condition.regex() != null) {
            String problem = AttributeRegex.problem(condition.regex());
            if (problem != null) {
                errors.add(new FieldError(at + ".regex", problem));
            }
        }
    }

    private void validateChannel(String kind, ChannelRequest channel, String at, Set<String> ids,
                                 List<FieldError> errors) {
        if (channel == null) {
            errors.add(new FieldError(at, "must be an object"));
            return;
        }
        boolean webhook = "webhook".equals(kind);
        if (channel.id() == null) {
            if (!webhook) {
                errors.add(new FieldError(at + ".id", "is required: the " + kind + " channel id"));
            }
        } else if (!CHANNEL_ID.matcher(channel.id()).matches()) {
            errors.add(new FieldError(at + ".id", "must be 1-128 characters of letters, digits and _:@.-"));
        } else if (!ids.add(channel.id())) {
            errors.add(new FieldError(at + ".id", "duplicate channel id '" + channel.id() + "'"));
        }
        if ("teams".equals(kind) && channel.teamId() == null) {
            errors.add(new FieldError(at + ".teamId", "is required for a Teams channel"));
        }
        if (!webhook) {
            return;
        }
        String urlProblem = urlProblem(channel.url());
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

    private String urlProblem(String url) {
        if (url == null || url.isBlank()) {
            return "is required for a webhook endpoint";
        }
        return customerUrls.problem(url);
    }
}
