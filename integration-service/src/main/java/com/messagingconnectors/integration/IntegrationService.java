package com.messagingconnectors.integration;

import com.messagingconnectors.config.kinds.ChannelKind;
import com.messagingconnectors.config.kinds.ChannelSealing;
import com.messagingconnectors.config.kinds.SlackKind;
import com.messagingconnectors.config.kinds.WebhookKind;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.ConfigKey;
import com.messagingconnectors.config.model.EncryptedSecret;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.IntegrationNoise;
import com.messagingconnectors.config.model.RoutingRule;
import com.messagingconnectors.config.model.RuleMatch;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretPurposes;
import com.messagingconnectors.config.store.ConfigView;
import com.messagingconnectors.integration.domain.ChannelInput;
import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.integration.domain.IntegrationInput;
import com.messagingconnectors.integration.domain.RuleInput;
import com.messagingconnectors.schemas.FieldError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Changes integrations: validates, applies the If-Match version check, seals secrets, writes connectors.config and
 * waits until its own view shows the write (so a GET right after a PUT sees it).
 */
@Service
public class IntegrationService {
    private static final Logger log = LoggerFactory.getLogger(IntegrationService.class);
    /**
     * Types switched on when an integration is created without a choice: the highest-priority ones first, as the
     * product documentation advises (with an alert, its resolution); the rest are opt-in.
     */
    public static final Map<String, Boolean> DEFAULT_NOTIFICATION_TYPES = Map.of(
            "alert.triggered", true, "alert.resolved", true, "sync.failed", true, "user.deactivated", true,
            "report.completed", false, "user.invited", false);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConfigView view;
    private final ConfigStore store;
    private final SecretBox secrets;
    private final IntegrationValidator validator;
    private final Clock clock = Clock.systemUTC();
    private final Duration previousSecretTtl;

    IntegrationService(ConfigStore store, SecretBox secrets, CustomerUrls customerUrls,
                       @Value("${connectors.secrets.previous-signing-secret-ttl:24h}") Duration previousSecretTtl) {
        this.view = store.view();
        this.store = store;
        this.secrets = secrets;
        this.validator = new IntegrationValidator(customerUrls);
        this.previousSecretTtl = previousSecretTtl;
    }

    /** The outcome of a change: the stored integration and the secrets created by it (shown once). */
    public record Saved(IntegrationConfig integration, Map<String, String> newSigningSecrets) {
    }

    public List<IntegrationConfig> list(String workspaceId) {
        return view.integrations(workspaceId);
    }

    public IntegrationConfig get(String workspaceId, String id) {
        return view.integration(workspaceId, id).orElseThrow(() -> new DomainException.NotFound("integration " + id));
    }

    public synchronized Saved create(String workspaceId, IntegrationInput request) {
        List<FieldError> errors = validator.validate(request, namesExcept(workspaceId, null));
        if (!errors.isEmpty()) {
            throw new DomainException.Invalid(errors);
        }
        String id = "int_" + randomId(10);
        Instant now = clock.instant();
        Map<String, String> newSecrets = new LinkedHashMap<>();
        IntegrationConfig config = new IntegrationConfig(id, workspaceId, IntegrationKind.valueOf(request.kind()),
                request.name().strip(), request.enabled() == null || request.enabled(),
                request.notificationTypes() == null ? DEFAULT_NOTIFICATION_TYPES : request.notificationTypes(),
                request.defaultChannelId(), channels(workspaceId, id, request, List.of(), newSecrets),
                rules(request.rules()), Map.of(), withResolvedAlerts(Map.of(), request.resolvedAlerts()), 1, now, now);
        write(config);
        log.info("integration created workspace={} integration={} kind={}", workspaceId, id, config.kind());
        return new Saved(config, newSecrets);
    }

    /** Replaces the editable fields; the kind cannot change. */
    public synchronized Saved replace(String workspaceId, String id, IntegrationInput request, String ifMatch) {
        IntegrationConfig current = current(workspaceId, id, ifMatch);
        if (request.kind() != null && !request.kind().equals(current.kind().name())) {
            throw new DomainException.Invalid(List.of(new FieldError("kind", "cannot change from " + current.kind()
                    + "; create a new integration instead")));
        }
        IntegrationInput full = new IntegrationInput(current.kind().name(), request.name(), request.enabled(),
                request.notificationTypes(), request.defaultChannelId(), request.channels(), request.rules(),
                request.resolvedAlerts());
        List<FieldError> errors = validator.validate(full, namesExcept(workspaceId, id));
        if (!errors.isEmpty()) {
            throw new DomainException.Invalid(errors);
        }
        Map<String, String> newSecrets = new LinkedHashMap<>();
        IntegrationConfig next = new IntegrationConfig(id, workspaceId, current.kind(), full.name().strip(),
                full.enabled() == null ? current.enabled() : full.enabled(),
                full.notificationTypes() == null ? current.notificationTypes() : full.notificationTypes(),
                full.defaultChannelId(), channels(workspaceId, id, full, current.channels(), newSecrets),
                rules(full.rules()), current.credentials(),
                withResolvedAlerts(current.properties(), full.resolvedAlerts()), current.version() + 1,
                current.createdAt(), clock.instant());
        write(next);
        log.info("integration replaced workspace={} integration={} version={}", workspaceId, id, next.version());
        return new Saved(next, newSecrets);
    }

    /** A small change applied to the current version (toggles, rules, enable/disable), same checks as a replace. */
    public synchronized IntegrationConfig modify(String workspaceId, String id, String ifMatch,
                                                 UnaryOperator<IntegrationInput> change) {
        return change(workspaceId, id, ifMatch, change).integration();
    }

    /** {@link #modify}, answering the secrets the change created too (a new webhook endpoint's, shown once). */
    public synchronized Saved change(String workspaceId, String id, String ifMatch,
                                     UnaryOperator<IntegrationInput> change) {
        IntegrationConfig current = current(workspaceId, id, ifMatch);
        return replace(workspaceId, id, change.apply(asInput(current)), null);
    }

    public synchronized void delete(String workspaceId, String id, String ifMatch) {
        current(workspaceId, id, ifMatch);
        store.write(new ConfigKey(ConfigKey.INTEGRATION, workspaceId, id), null);
        log.info("integration deleted workspace={} integration={}", workspaceId, id);
    }

    /**
     * New signing secret for a webhook endpoint. The previous one keeps signing too (receivers accept either) until it
     * expires ({@code connectors.secrets.previous-signing-secret-ttl}, 24 h like Svix) or {@link #expirePreviousSecret}
     * ends it; older ones stop at once.
     */
    public synchronized Saved rotateSecret(String workspaceId, String id, String channelId, String ifMatch) {
        IntegrationConfig current = current(workspaceId, id, ifMatch);
        WebhookEndpointConfig channel = webhookEndpoint(current, channelId);
        String secret = WebhookKind.newSigningSecret();
        List<EncryptedSecret> keep = new ArrayList<>();
        keep.add(secrets.seal(secret, SecretPurposes.signing(workspaceId, id, channelId)));
        if (!channel.signingSecrets().isEmpty()) {
            keep.add(channel.signingSecrets().getFirst());
        }
        Instant previousExpireAt = keep.size() > 1 ? clock.instant().plus(previousSecretTtl) : null;
        IntegrationConfig next = withChannel(current, channel.withSigningSecrets(keep, previousExpireAt));
        write(next);
        log.info("signing secret rotated workspace={} integration={} endpoint={} previousExpiresAt={}", workspaceId,
                id, channelId, previousExpireAt);
        return new Saved(next, Map.of(channelId, secret));
    }

    /** Ends a rotation now: only the newest signing secret signs from the next delivery on. */
    public synchronized IntegrationConfig expirePreviousSecret(String workspaceId, String id, String channelId,
                                                               String ifMatch) {
        IntegrationConfig current = current(workspaceId, id, ifMatch);
        WebhookEndpointConfig channel = webhookEndpoint(current, channelId);
        if (channel.signingSecrets().size() <= 1) {
            return current;
        }
        IntegrationConfig next = withChannel(current,
                channel.withSigningSecrets(List.of(channel.signingSecrets().getFirst()), null));
        write(next);
        log.info("previous signing secret expired workspace={} integration={} endpoint={}", workspaceId, id,
                channelId);
        return next;
    }

    /**
     * Applies {@code change} to the current version of an integration and writes the result when it differs, keeping
     * its version: for storage-only changes that an API client cannot see (re-sealing secrets with a new key).
     */
    public synchronized boolean rewrite(String workspaceId, String id, UnaryOperator<IntegrationConfig> change) {
        Optional<IntegrationConfig> current = view.integration(workspaceId, id);
        if (current.isEmpty()) {
            return false;
        }
        IntegrationConfig next = change.apply(current.get());
        if (next.equals(current.get())) {
            return false;
        }
        write(next);
        return true;
    }

    private static WebhookEndpointConfig webhookEndpoint(IntegrationConfig integration, String channelId) {
        ChannelConfig channel = integration.channel(channelId).orElseThrow(() -> new DomainException.NotFound("channel "
                + channelId + " of integration " + integration.id()));
        if (!(channel instanceof WebhookEndpointConfig endpoint)) {
            throw new DomainException.WrongKind("only webhook endpoints have signing secrets");
        }
        return endpoint;
    }

    /**
     * Switches one channel (webhook endpoint) on or off. Returns empty when nothing changed (already in that state), so
     * callers reacting to status reports can tell whether they changed anything.
     */
    public synchronized Optional<IntegrationConfig> setChannelEnabled(String workspaceId, String id, String channelId,
                                                                      boolean enabled, String ifMatch) {
        IntegrationConfig current = current(workspaceId, id, ifMatch);
        ChannelConfig channel = current.channel(channelId)
                .orElseThrow(() -> new DomainException.NotFound("channel " + channelId + " of integration " + id));
        if (channel.enabled() == enabled) {
            return Optional.empty();
        }
        IntegrationConfig next = withChannel(current, channel.withEnabled(enabled));
        write(next);
        log.info("channel {} workspace={} integration={} channel={}", enabled ? "enabled" : "disabled", workspaceId,
                id, channelId);
        return Optional.of(next);
    }

    /** Every problem of a noise settings request (cap bounds, mute time and reason). */
    public List<FieldError> validateNoise(RuleInput.Noise noise) {
        return IntegrationValidator.validateNoise(noise);
    }

    /**
     * Validates and stores an integration's cap and mute as the API and the console receive them; a field left out
     * is cleared (no cap, not muted). Invalid settings: {@link DomainException.Invalid} naming each field.
     */
    public IntegrationConfig replaceNoise(String workspaceId, String id, String ifMatch,
                                          RuleInput.Noise noise) {
        List<FieldError> errors = validateNoise(noise);
        if (!errors.isEmpty()) {
            throw new DomainException.Invalid(errors);
        }
        return setNoise(workspaceId, id, ifMatch, new IntegrationNoise(noise.capPerMinute(), NoiseText.mute(noise.mute())));
    }

    /** Replaces an integration's cap and mute (kept in its properties, see {@link IntegrationNoise}). */
    public synchronized IntegrationConfig setNoise(String workspaceId, String id, String ifMatch,
                                                   IntegrationNoise noise) {
        IntegrationConfig c = current(workspaceId, id, ifMatch);
        IntegrationConfig next = new IntegrationConfig(c.id(), workspaceId, c.kind(), c.name(), c.enabled(),
                c.notificationTypes(), c.defaultChannelId(), c.channels(), c.rules(), c.credentials(),
                noise.applyTo(c.properties()), c.version() + 1, c.createdAt(), clock.instant());
        write(next);
        log.info("noise settings workspace={} integration={} capPerMinute={} mutedUntil={}", workspaceId, id,
                noise.capPerMinute(), noise.mute() == null ? null : noise.mute().until());
        return next;
    }

    /**
     * Stores a connect flow's result on an integration: secrets (tokens, Workflows URLs) are sealed with the key
     * named {@code SecretPurposes.credential(…, name)} before they are written; {@code properties} are plain facts such as
     * the Slack team id or granted scopes. Given entries replace those of the same name.
     */
    public synchronized IntegrationConfig saveCredentials(String workspaceId, String id, Map<String, String> secretsByName,
                                                          Map<String, String> properties) {
        IntegrationConfig c = get(workspaceId, id);
        Map<String, EncryptedSecret> credentials = new LinkedHashMap<>(c.credentials());
        secretsByName.forEach((name, plaintext) -> credentials.put(name,
                secrets.seal(plaintext, SecretPurposes.credential(workspaceId, id, name))));
        Map<String, String> props = new LinkedHashMap<>(c.properties());
        props.putAll(properties);
        IntegrationConfig next = new IntegrationConfig(c.id(), workspaceId, c.kind(), c.name(), c.enabled(),
                c.notificationTypes(), c.defaultChannelId(), c.channels(), c.rules(), credentials, props,
                c.version() + 1, c.createdAt(), clock.instant());
        write(next);
        log.info("credentials stored workspace={} integration={} names={}", workspaceId, id, secretsByName.keySet());
        return next;
    }

    /** Opens a credential stored by {@link #saveCredentials}; empty when there is none. */
    public Optional<String> openCredential(IntegrationConfig config, String name) {
        EncryptedSecret sealed = config.credentials().get(name);
        return sealed == null ? Optional.empty()
                : Optional.of(secrets.open(sealed, SecretPurposes.credential(config.workspaceId(), config.id(), name)));
    }

    private IntegrationConfig current(String workspaceId, String id, String ifMatch) {
        IntegrationConfig current = get(workspaceId, id);
        if (ifMatch != null && !ifMatch.equals("*") && !ifMatch.equals(Etags.of(current))) {
            throw new DomainException.StaleVersion("integration " + id + " was changed by someone"
                    + " else (it is at version " + current.version() + ", ETag " + Etags.of(current)
                    + "); fetch it again and re-apply your change");
        }
        return current;
    }

    private void write(IntegrationConfig config) {
        store.write(new ConfigKey(ConfigKey.INTEGRATION, config.workspaceId(), config.id()), config);
    }

    private List<String> namesExcept(String workspaceId, String id) {
        return view.integrations(workspaceId).stream().filter(i -> !i.id().equals(id)).map(IntegrationConfig::name)
                .toList();
    }

    /** The channels to store: each built by its kind's descriptor, which keeps write-only values of {@code existing}. */
    private List<ChannelConfig> channels(String workspaceId, String integrationId, IntegrationInput request,
                                         List<ChannelConfig> existing, Map<String, String> newSecrets) {
        Map<String, ChannelConfig> before = existing.stream()
                .collect(Collectors.toMap(ChannelConfig::id, c -> c));
        ChannelKind kind = IntegrationKind.valueOf(request.kind()).descriptor();
        ChannelSealing sealing = new ChannelSealing() {
            @Override
            public String workspaceId() {
                return workspaceId;
            }

            @Override
            public String integrationId() {
                return integrationId;
            }

            @Override
            public EncryptedSecret seal(String plaintext, String purpose) {
                return secrets.seal(plaintext, purpose);
            }

            @Override
            public void showOnce(String channelId, String secret) {
                newSecrets.put(channelId, secret);
            }
        };
        List<ChannelConfig> out = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        List<ChannelInput> requested = request.channels() == null ? List.of() : request.channels();
        for (int i = 0; i < requested.size(); i++) {
            ChannelInput c = requested.get(i);
            String channelId = c.id() != null ? c.id() : "ep_" + randomId(8);
            out.add(kind.build(channelId, c, before.get(channelId), sealing, "channels[" + i + "]", errors));
        }
        if (!errors.isEmpty()) {
            throw new DomainException.Invalid(errors);
        }
        return out;
    }

    private static List<RoutingRule> rules(List<RuleInput> requested) {
        List<RoutingRule> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        if (requested == null) {
            return out;
        }
        requested.stream().map(RuleInput::id).filter(java.util.Objects::nonNull).forEach(used::add);
        int n = 1;
        for (RuleInput r : requested) {
            String id = r.id();
            while (id == null || (r.id() == null && !used.add(id))) {
                id = "rule" + n++;
            }
            RuleMatch match = r.match() == null ? new RuleMatch(List.of(), List.of(), List.of())
                    : new RuleMatch(r.match().types(), r.match().levels(), r.match().attributes());
            out.add(new RoutingRule(id, r.name(), match, r.channelId(), Boolean.TRUE.equals(r.continueMatching()),
                    NoiseText.grouping(r.grouping()), NoiseText.dedupe(r.dedupe()), NoiseText.mute(r.mute())));
        }
        return out;
    }

    /**
     * {@code properties} with Slack's resolved-alerts choice (validated; Slack only) as the sender reads it; null keeps
     * the stored one.
     */
    private static Map<String, String> withResolvedAlerts(Map<String, String> properties, String mode) {
        if (mode == null) {
            return properties;
        }
        Map<String, String> out = new LinkedHashMap<>(properties);
        out.put(SlackKind.RESOLVED_ALERTS, mode);
        return out;
    }

    static IntegrationInput asInput(IntegrationConfig c) {
        return new IntegrationInput(c.kind().name(), c.name(), c.enabled(), c.notificationTypes(),
                c.defaultChannelId(),
                c.channels().stream().map(ch -> ChannelInput.of(c.kind().descriptor().fields(ch))).toList(),
                c.rules().stream().map(r -> new RuleInput(r.id(), r.name(),
                        new RuleInput.Match(r.match().types(),
                                r.match().levels(), r.match().attributes()), r.channelId(),
                        r.continueMatching(), NoiseText.view(r.grouping()), NoiseText.view(r.dedupe()),
                        NoiseText.view(r.mute()))).toList());
    }

    private static IntegrationConfig withChannel(IntegrationConfig c, ChannelConfig channel) {
        List<ChannelConfig> channels = c.channels().stream().map(x -> x.id().equals(channel.id()) ? channel : x)
                .toList();
        return new IntegrationConfig(c.id(), c.workspaceId(), c.kind(), c.name(), c.enabled(), c.notificationTypes(),
                c.defaultChannelId(), channels, c.rules(), c.credentials(), c.properties(), c.version() + 1,
                c.createdAt(), Instant.now());
    }

    private static String randomId(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    public Optional<IntegrationConfig> find(String workspaceId, String id) {
        return view.integration(workspaceId, id);
    }
}
