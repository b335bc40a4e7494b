package com.messagingconnectors.events.starter;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.schemas.avro.AlertResolved;
import com.messagingconnectors.schemas.avro.AlertTriggered;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.ReportCompleted;
import com.messagingconnectors.schemas.avro.SyncFailed;
import com.messagingconnectors.schemas.avro.UserDeactivated;
import com.messagingconnectors.schemas.avro.UserInvited;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Typed events for the known notification types, and generic ones for any other type (payload: a JSON object).
 * Defaults as at ingest: a random UUID as id, now as occurredAt, level alert for alert.triggered and info otherwise.
 */
public final class Events {
    private static final ObjectMapper JSON = Json.MAPPER;

    private Events() {
    }

    /** report.completed: a scheduled report has finished running. */
    public static Builder reportCompleted(String workspaceId, String summary, ReportCompleted payload) {
        return new Builder("report.completed", workspaceId, summary, payload);
    }

    /** sync.failed: a data source or connector sync has failed. */
    public static Builder syncFailed(String workspaceId, String summary, SyncFailed payload) {
        return new Builder("sync.failed", workspaceId, summary, payload).level(Level.warning);
    }

    /** user.invited: a new member has been invited to the workspace. */
    public static Builder userInvited(String workspaceId, String summary, UserInvited payload) {
        return new Builder("user.invited", workspaceId, summary, payload);
    }

    /** user.deactivated: a member was deactivated. */
    public static Builder userDeactivated(String workspaceId, String summary, UserDeactivated payload) {
        return new Builder("user.deactivated", workspaceId, summary, payload);
    }

    /** alert.triggered: a configured threshold alert has fired (level alert). */
    public static Builder alertTriggered(String workspaceId, String summary, AlertTriggered payload) {
        return new Builder("alert.triggered", workspaceId, summary, payload).level(Level.alert);
    }

    /** alert.resolved: the alert with the same alertId is back within its threshold (its chat message shows it). */
    public static Builder alertResolved(String workspaceId, String summary, AlertResolved payload) {
        return new Builder("alert.resolved", workspaceId, summary, payload);
    }

    /**
     * Any other type (lowercase dotted, e.g. {@code invoice.paid}); {@code payload} is written as a JSON object
     * (a Map, a record or a bean Jackson can write). A type that has a typed payload must use its typed factory.
     */
    public static Builder generic(String type, String workspaceId, String summary, Object payload) {
        String json;
        try {
            json = JSON.writeValueAsString(payload == null ? Map.of() : payload);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the payload of a " + type + " event cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
        return new Builder(type, workspaceId, summary, new GenericPayload(json));
    }

    /** The optional parts of an event; {@link PlatformEvents#publish(Builder)} validates the whole. */
    public static final class Builder {
        private final PlatformEvent.Builder event;
        private final Map<String, String> attributes = new LinkedHashMap<>();

        private Builder(String type, String workspaceId, String summary, Object payload) {
            this.event = PlatformEvent.newBuilder()
                    .setEventId(UUID.randomUUID().toString())
                    .setType(type)
                    .setWorkspaceId(workspaceId)
                    .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                    .setLevel(Level.info)
                    .setSummary(summary)
                    .setPayload(payload);
        }

        /** A UUID; reuse the same id when publishing the same event again, so it is delivered once. */
        public Builder id(String eventId) {
            event.setEventId(eventId);
            return this;
        }

        public Builder occurredAt(Instant occurredAt) {
            event.setOccurredAt(occurredAt.truncatedTo(ChronoUnit.MILLIS));
            return this;
        }

        public Builder level(Level level) {
            event.setLevel(level);
            return this;
        }

        /** An absolute http(s) URL of the item the event is about. */
        public Builder link(String link) {
            event.setLink(link);
            return this;
        }

        /** The producing service, e.g. {@code reports}. */
        public Builder source(String source) {
            event.setSource(source);
            return this;
        }

        /** A free-form attribute usable in routing rules. */
        public Builder attribute(String name, String value) {
            attributes.put(name, value);
            return this;
        }

        public PlatformEvent build() {
            return event.setAttributes(new LinkedHashMap<>(attributes)).build();
        }
    }
}
