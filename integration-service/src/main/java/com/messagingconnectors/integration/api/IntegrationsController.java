package com.messagingconnectors.integration.api;

import com.messagingconnectors.config.kinds.ChannelFields;
import com.messagingconnectors.config.kinds.SlackKind;
import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.IntegrationNoise;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.integration.Etags;
import com.messagingconnectors.integration.IntegrationService;
import com.messagingconnectors.integration.NoiseText;
import com.messagingconnectors.integration.api.Dtos.ChannelRequest;
import com.messagingconnectors.integration.api.Dtos.ChannelView;
import com.messagingconnectors.integration.api.Dtos.IntegrationRequest;
import com.messagingconnectors.integration.api.Dtos.IntegrationView;
import com.messagingconnectors.integration.api.Dtos.NoiseSettings;
import com.messagingconnectors.integration.api.Dtos.NotificationSettings;
import com.messagingconnectors.integration.api.Dtos.RuleView;
import com.messagingconnectors.integration.api.Dtos.RulesRequest;
import com.messagingconnectors.integration.api.Dtos.SecretView;
import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.integration.domain.IntegrationInput;
import com.messagingconnectors.integration.status.StatusBoard;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Integrations of a workspace, their notification toggles and routing rules. */
@RestController
@RequestMapping("/v1/workspaces/{workspaceId}/integrations")
class IntegrationsController {
    private final IntegrationService integrations;
    private final StatusBoard statusBoard;

    IntegrationsController(IntegrationService integrations, StatusBoard statusBoard) {
        this.integrations = integrations;
        this.statusBoard = statusBoard;
    }

    @PostMapping
    ResponseEntity<IntegrationView> create(@PathVariable String workspaceId, @RequestBody IntegrationRequest request) {
        IntegrationService.Saved saved = integrations.create(workspaceId, ApiMapping.integration(request));
        return ResponseEntity.created(URI.create("/v1/workspaces/" + workspaceId + "/integrations/"
                        + saved.integration().id())).eTag(Etags.of(saved.integration()))
                .body(view(saved.integration(), saved.newSigningSecrets()));
    }

    @GetMapping
    Map<String, List<IntegrationView>> list(@PathVariable String workspaceId) {
        return Map.of("integrations", integrations.list(workspaceId).stream().map(i -> view(i, Map.of())).toList());
    }

    @GetMapping("/{id}")
    ResponseEntity<IntegrationView> get(@PathVariable String workspaceId, @PathVariable String id) {
        return ok(integrations.get(workspaceId, id));
    }

    @PutMapping("/{id}")
    ResponseEntity<IntegrationView> replace(@PathVariable String workspaceId, @PathVariable String id,
                                           @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                           @RequestBody IntegrationRequest request) {
        IntegrationService.Saved saved = integrations.replace(workspaceId, id, ApiMapping.integration(request), ifMatch);
        return ResponseEntity.ok().eTag(Etags.of(saved.integration()))
                .body(view(saved.integration(), saved.newSigningSecrets()));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String workspaceId, @PathVariable String id,
                                @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        integrations.delete(workspaceId, id, ifMatch);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}:enable")
    ResponseEntity<IntegrationView> enable(@PathVariable String workspaceId, @PathVariable String id,
                                          @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        return setEnabled(workspaceId, id, ifMatch, true);
    }

    @PostMapping("/{id}:disable")
    ResponseEntity<IntegrationView> disable(@PathVariable String workspaceId, @PathVariable String id,
                                           @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        return setEnabled(workspaceId, id, ifMatch, false);
    }

    private ResponseEntity<IntegrationView> setEnabled(String workspaceId, String id, String ifMatch, boolean enabled) {
        return ok(integrations.modify(workspaceId, id, ifMatch, r -> new IntegrationInput(r.kind(), r.name(),
                enabled, r.notificationTypes(), r.defaultChannelId(), r.channels(), r.rules())));
    }

    @GetMapping("/{id}/notification-settings")
    ResponseEntity<NotificationSettings> settings(@PathVariable String workspaceId, @PathVariable String id) {
        IntegrationConfig config = integrations.get(workspaceId, id);
        return ResponseEntity.ok().eTag(Etags.of(config)).body(new NotificationSettings(config.notificationTypes()));
    }

    /** Sets the toggles given; types not named keep their setting. */
    @PutMapping("/{id}/notification-settings")
    ResponseEntity<NotificationSettings> updateSettings(@PathVariable String workspaceId, @PathVariable String id,
                                                        @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                                        @RequestBody NotificationSettings settings) {
        if (settings.notificationTypes() == null) {
            throw new DomainException.Invalid("notificationTypes",
                    "is required: an object of event type → true/false");
        }
        IntegrationConfig saved = integrations.modify(workspaceId, id, ifMatch, r -> {
            Map<String, Boolean> types = new java.util.TreeMap<>(r.notificationTypes());
            types.putAll(settings.notificationTypes());
            return new IntegrationInput(r.kind(), r.name(), r.enabled(), types, r.defaultChannelId(), r.channels(),
                    r.rules());
        });
        return ResponseEntity.ok().eTag(Etags.of(saved)).body(new NotificationSettings(saved.notificationTypes()));
    }

    @GetMapping("/{id}/rules")
    ResponseEntity<RulesRequest> rules(@PathVariable String workspaceId, @PathVariable String id) {
        IntegrationConfig config = integrations.get(workspaceId, id);
        return ResponseEntity.ok().eTag(Etags.of(config)).body(rulesOf(config));
    }

    /** Replaces the ordered rule list and the default channel. */
    @PutMapping("/{id}/rules")
    ResponseEntity<RulesRequest> replaceRules(@PathVariable String workspaceId, @PathVariable String id,
                                              @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                              @RequestBody RulesRequest rules) {
        IntegrationConfig saved = integrations.modify(workspaceId, id, ifMatch, r -> new IntegrationInput(r.kind(),
                r.name(), r.enabled(), r.notificationTypes(), rules.defaultChannelId(), r.channels(), ApiMapping.rules(rules.rules())));
        return ResponseEntity.ok().eTag(Etags.of(saved)).body(rulesOf(saved));
    }

    @GetMapping("/{id}/noise")
    ResponseEntity<NoiseSettings> noise(@PathVariable String workspaceId, @PathVariable String id) {
        IntegrationConfig config = integrations.get(workspaceId, id);
        return ResponseEntity.ok().eTag(Etags.of(config)).body(noiseOf(config));
    }

    /** Replaces the integration's cap and mute; a field left out is cleared (no cap, not muted). */
    @PutMapping("/{id}/noise")
    ResponseEntity<NoiseSettings> replaceNoise(@PathVariable String workspaceId, @PathVariable String id,
                                               @RequestHeader(value = "If-Match", required = false) String ifMatch,
                                               @RequestBody NoiseSettings noise) {
        IntegrationConfig saved = integrations.replaceNoise(workspaceId, id, ifMatch, ApiMapping.noise(noise));
        return ResponseEntity.ok().eTag(Etags.of(saved)).body(noiseOf(saved));
    }

    private static NoiseSettings noiseOf(IntegrationConfig config) {
        IntegrationNoise noise = IntegrationNoise.of(config);
        return new NoiseSettings(noise.capPerMinute(), ApiMapping.view(NoiseText.view(noise.mute())));
    }

    /** Enables a channel again, e.g. a webhook endpoint that was disabled after failing for too long. */
    @PostMapping("/{id}/channels/{channelId}:enable")
    ResponseEntity<IntegrationView> enableChannel(@PathVariable String workspaceId, @PathVariable String id,
                                                 @PathVariable String channelId,
                                                 @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        integrations.setChannelEnabled(workspaceId, id, channelId, true, ifMatch);
        return ok(integrations.get(workspaceId, id));
    }

    @PostMapping("/{id}/channels/{channelId}:disable")
    ResponseEntity<IntegrationView> disableChannel(@PathVariable String workspaceId, @PathVariable String id,
                                                  @PathVariable String channelId,
                                                  @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        integrations.setChannelEnabled(workspaceId, id, channelId, false, ifMatch);
        return ok(integrations.get(workspaceId, id));
    }

    @PostMapping("/{id}/channels/{channelId}:rotate-secret")
    ResponseEntity<SecretView> rotateSecret(@PathVariable String workspaceId, @PathVariable String id,
                                            @PathVariable String channelId,
                                            @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        IntegrationService.Saved saved = integrations.rotateSecret(workspaceId, id, channelId, ifMatch);
        return secretView(saved.integration(), channelId, saved.newSigningSecrets().get(channelId));
    }

    /** Ends a rotation now: the previous signing secret stops signing (it would expire on its own after 24 h). */
    @PostMapping("/{id}/channels/{channelId}:expire-previous-secret")
    ResponseEntity<SecretView> expirePreviousSecret(@PathVariable String workspaceId, @PathVariable String id,
                                                    @PathVariable String channelId,
                                                    @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        return secretView(integrations.expirePreviousSecret(workspaceId, id, channelId, ifMatch), channelId, null);
    }

    private ResponseEntity<SecretView> secretView(IntegrationConfig integration, String channelId, String newSecret) {
        WebhookEndpointConfig channel = (WebhookEndpointConfig) integration.channel(channelId).orElseThrow();
        return ResponseEntity.status(HttpStatus.OK).eTag(Etags.of(integration)).body(new SecretView(channelId,
                newSecret, channel.activeSigningSecrets(Instant.now()).size(), previousExpiry(channel)));
    }

    /** When the previous signing secret stops signing; null when only one signs. */
    private static Instant previousExpiry(WebhookEndpointConfig channel) {
        return channel.activeSigningSecrets(Instant.now()).size() > 1 ? channel.previousSigningSecretsExpireAt()
                : null;
    }

    private ResponseEntity<IntegrationView> ok(IntegrationConfig config) {
        return ResponseEntity.ok().eTag(Etags.of(config)).body(view(config, Map.of()));
    }

    private static RulesRequest rulesOf(IntegrationConfig config) {
        return new RulesRequest(config.rules().stream().map(ApiMapping::ruleRequest).toList(),
                config.defaultChannelId());
    }

    private IntegrationView view(IntegrationConfig c, Map<String, String> newSecrets) {
        List<ChannelView> channels = c.channels().stream().map(ch -> channelView(c, ch, newSecrets)).toList();
        List<RuleView> rules = c.rules().stream().map(ApiMapping::ruleView).toList();
        return new IntegrationView(c.id(), c.workspaceId(), c.kind().name(), c.name(), c.enabled(),
                c.notificationTypes(), c.defaultChannelId(), channels, rules, statusBoard.status(c.id()), c.version(),
                c.createdAt(), c.updatedAt(),
                c.kind() == IntegrationKind.slack ? SlackKind.resolvedAlerts(c.properties(), null) : null);
    }

    private static ChannelView channelView(IntegrationConfig c, ChannelConfig ch, Map<String, String> newSecrets) {
        ChannelFields fields = c.kind().descriptor().fields(ch);
        if (!(ch instanceof WebhookEndpointConfig endpoint)) {
            return new ChannelView(ch.id(), ch.name(), fields.teamId(), fields.url(), fields.description(), null,
                    null, ch.enabled(), c.destinationId(ch.id()), null, null, null);
        }
        Map<String, String> maskedHeaders = new LinkedHashMap<>();
        endpoint.headerNames().forEach(name -> maskedHeaders.put(name, ChannelRequest.MASKED_HEADER_VALUE));
        return new ChannelView(ch.id(), ch.name(), null, endpoint.url(), endpoint.description(), endpoint.types(),
                maskedHeaders, ch.enabled(), c.destinationId(ch.id()),
                endpoint.activeSigningSecrets(Instant.now()).size(), newSecrets.get(ch.id()), previousExpiry(endpoint));
    }
}
