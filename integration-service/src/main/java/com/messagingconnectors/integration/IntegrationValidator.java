package com.messagingconnectors.integration;

import com.messagingconnectors.config.kinds.SlackKind;
import com.messagingconnectors.config.model.AttributeMatch;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.routing.AttributeRegex;
import com.messagingconnectors.config.routing.NoiseLimits;
import com.messagingconnectors.config.routing.TypePattern;
import com.messagingconnectors.integration.domain.ChannelInput;
import com.messagingconnectors.integration.domain.IntegrationInput;
import com.messagingconnectors.integration.domain.RuleInput;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.FieldError;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks an integration request and names every bad field (JSON-path-ish, e.g. {@code rules[1].match.types[0]}). */
final class IntegrationValidator {
    static final Set<String> LEVELS = Set.of("info", "warning", "alert");
    private static final int MAX_NAME = 100;
    private static final Pattern CHANNEL_ID = Pattern.compile("[A-Za-z0-9_:@.-]{1,128}");

    private final CustomerUrls customerUrls;

    IntegrationValidator(CustomerUrls customerUrls) {
        this.customerUrls = customerUrls;
    }

    List<FieldError> validate(IntegrationInput request, List<String> otherNamesInWorkspace) {
        List<FieldError> errors = new ArrayList<>();
        IntegrationKind kind = request.kind() == null ? null : IntegrationKind.byId(request.kind()).orElse(null);
        if (kind == null) {
            errors.add(new FieldError("kind", "must be one of " + String.join(", ", IntegrationKind.IDS)));
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
        List<ChannelInput> channels = request.channels() == null ? List.of() : request.channels();
        for (int i = 0; kind != null && i < channels.size(); i++) {
            validateChannel(kind, channels.get(i), "channels[" + i + "]", channelIds, errors);
        }
        if (request.defaultChannelId() != null && !channelIds.contains(request.defaultChannelId())) {
            errors.add(new FieldError("defaultChannelId", "unknown channel '" + request.defaultChannelId()
                    + "': it must be the id of one of this integration's channels"));
        }
        validateRules(request.rules(), channelIds, "rules", errors);
        validateResolvedAlerts(kind, request.resolvedAlerts(), errors);
        return errors;
    }

    private static void validateResolvedAlerts(IntegrationKind kind, String mode, List<FieldError> errors) {
        if (mode == null) {
            return;
        }
        if (kind != null && kind != IntegrationKind.slack) {
            errors.add(new FieldError("resolvedAlerts", "only Slack integrations have it (how Slack shows a resolved"
                    + " alert); leave it out for a " + kind.descriptor().displayName() + " integration"));
        } else if (!SlackKind.RESOLVED_MODES.contains(mode)) {
            errors.add(new FieldError("resolvedAlerts", "must be " + SlackKind.RESOLVED_UPDATE + " (edit the alert's"
                    + " message in place) or " + SlackKind.RESOLVED_THREAD + " (reply in the alert's thread)"));
        }
    }

    void validateRules(List<RuleInput> rules, Set<String> channelIds, String path, List<FieldError> errors) {
        if (rules == null) {
            return;
        }
        Set<String> ruleIds = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            RuleInput rule = rules.get(i);
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
            validateGrouping(rule.grouping(), at + ".grouping", errors);
            if (rule.dedupe() != null) {
                durationProblem(rule.dedupe().window(), NoiseLimits.MIN_DEDUP_WINDOW, NoiseLimits.MAX_DEDUP_WINDOW,
                        at + ".dedupe.window", true, errors);
            }
            validateMute(rule.mute(), at + ".mute", errors);
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

    private static void validateGrouping(RuleInput.Grouping grouping, String at, List<FieldError> errors) {
        if (grouping == null) {
            return;
        }
        List<String> by = grouping.by() == null ? List.of() : grouping.by();
        if (by.size() > NoiseLimits.MAX_GROUP_BY) {
            errors.add(new FieldError(at + ".by", "at most " + NoiseLimits.MAX_GROUP_BY + " fields"));
        }
        for (int i = 0; i < Math.min(by.size(), NoiseLimits.MAX_GROUP_BY); i++) {
            if (by.get(i) == null || !NoiseLimits.GROUP_BY_FIELD.matcher(by.get(i)).matches()) {
                errors.add(new FieldError(at + ".by[" + i + "]",
                        "must be type, level, source or attributes.<name> (name: 1-64 letters, digits, _.:-)"));
            }
        }
        durationProblem(grouping.waitTime(), Duration.ZERO, NoiseLimits.MAX_WAIT, at + ".wait", false, errors);
        durationProblem(grouping.interval(), NoiseLimits.MIN_INTERVAL, NoiseLimits.MAX_INTERVAL, at + ".interval",
                true, errors);
    }

    private static void durationProblem(String text, Duration min, Duration max, String at, boolean required,
                                        List<FieldError> errors) {
        if (text == null) {
            if (required) {
                errors.add(new FieldError(at, "is required: a duration such as 30s, 5m or 1h"));
            }
            return;
        }
        Duration d = NoiseText.duration(text);
        if (d == null) {
            errors.add(new FieldError(at, "is not a duration: a whole number with ms, s, m or h, such as 30s or 5m"));
        } else if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            errors.add(new FieldError(at, "must be between " + NoiseText.text(min.toMillis()) + " and "
                    + NoiseText.text(max.toMillis())));
        }
    }

    static void validateMute(RuleInput.Mute mute, String at, List<FieldError> errors) {
        if (mute == null) {
            return;
        }
        if (mute.until() == null) {
            errors.add(new FieldError(at + ".until", "is required: when the mute ends (ISO-8601, e.g."
                    + " 2026-03-01T18:00:00Z)"));
        } else if (mute.until().isAfter(Instant.now().plus(NoiseLimits.MAX_MUTE))) {
            errors.add(new FieldError(at + ".until", "must be at most " + NoiseLimits.MAX_MUTE.toDays()
                    + " days ahead"));
        }
        if (mute.reason() != null && (mute.reason().length() > NoiseLimits.MAX_MUTE_REASON
                || mute.reason().chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            errors.add(new FieldError(at + ".reason", "must be one line of at most " + NoiseLimits.MAX_MUTE_REASON
                    + " characters"));
        }
    }

    static List<FieldError> validateNoise(RuleInput.Noise noise) {
        List<FieldError> errors = new ArrayList<>();
        if (noise.capPerMinute() != null && (noise.capPerMinute() < NoiseLimits.MIN_CAP_PER_MINUTE
                || noise.capPerMinute() > NoiseLimits.MAX_CAP_PER_MINUTE)) {
            errors.add(new FieldError("capPerMinute", "must be between " + NoiseLimits.MIN_CAP_PER_MINUTE + " and "
                    + NoiseLimits.MAX_CAP_PER_MINUTE + " (leave it out for no cap)"));
        }
        validateMute(noise.mute(), "mute", errors);
        return errors;
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

    private void validateChannel(IntegrationKind kind, ChannelInput channel, String at, Set<String> ids,
                                 List<FieldError> errors) {
        if (channel == null) {
            errors.add(new FieldError(at, "must be an object"));
            return;
        }
        if (channel.id() == null) {
            if (!kind.descriptor().generatesChannelIds()) {
                errors.add(new FieldError(at + ".id", "is required: the " + kind + " channel id"));
            }
        } else if (!CHANNEL_ID.matcher(channel.id()).matches()) {
            errors.add(new FieldError(at + ".id", "must be 1-128 characters of letters, digits and _:@.-"));
        } else if (!ids.add(channel.id())) {
            errors.add(new FieldError(at + ".id", "duplicate channel id '" + channel.id() + "'"));
        }
        kind.descriptor().validate(channel, at, customerUrls::problem, errors);
    }
}
