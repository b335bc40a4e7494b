package com.messagingconnectors.teams;

import com.messagingconnectors.schemas.avro.AlertResolved;
import com.messagingconnectors.schemas.avro.AlertTriggered;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.ReportCompleted;
import com.messagingconnectors.schemas.avro.SyncFailed;
import com.messagingconnectors.schemas.avro.UserDeactivated;
import com.messagingconnectors.schemas.avro.UserInvited;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Sample events of every known type and a new one, as platform services send them. */
final class Events {
    private Events() {
    }

    static Map<String, PlatformEvent> samples() {
        Map<String, PlatformEvent> all = new LinkedHashMap<>();
        all.put("report.completed", event("report.completed", Level.info, "Weekly revenue finished: 1,204 rows",
                new ReportCompleted("rep_1", "Weekly revenue", 1204L, 83_000L, "https://app.example.com/r/1.csv")));
        all.put("sync.failed", event("sync.failed", Level.warning, "Salesforce sync failed",
                new SyncFailed("src_9", "Salesforce EU", "salesforce", "401 from upstream: token expired", 3)));
        all.put("user.invited", event("user.invited", Level.info, "ana@example.com was invited",
                new UserInvited("ana@example.com", "bob@example.com", "editor")));
        all.put("user.deactivated", event("user.deactivated", Level.warning, "carl@example.com was deactivated",
                new UserDeactivated("carl@example.com", "admin@example.com", null)));
        all.put("alert.triggered", event("alert.triggered", Level.alert, "Error rate above 5 %",
                new AlertTriggered("al_1", "Error rate", "http.errors.rate", ">", 0.05, 0.127)));
        all.put("alert.resolved", event("alert.resolved", Level.info, "Error rate back below 5 %",
                new AlertResolved("al_1", "Error rate", Instant.parse("2026-11-28T09:40:00Z"), 0.012)));
        all.put("invoice.paid (new type)", event("invoice.paid", Level.info, "Invoice INV-7 was paid",
                new GenericPayload("{\"invoiceId\":\"INV-7\",\"amount\":129.5,\"customer\":{\"id\":\"c1\"},"
                        + "\"paid\":true,\"note\":null}")));
        return all;
    }

    static PlatformEvent event(String type, Level level, String summary, Object payload) {
        return PlatformEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType(type)
                .setWorkspaceId("ws_1").setOccurredAt(Instant.parse("2026-11-28T09:15:00Z")).setLevel(level)
                .setSummary(summary).setLink("https://app.example.com/items/42").setSource("reports-service")
                .setAttributes(Map.of()).setPayload(payload).build();
    }

    /** A digest of {@code count} sync.failed events of Salesforce EU over five minutes, listing {@code samples}. */
    static com.messagingconnectors.schemas.avro.Digest digest(int count, java.util.List<String> samples) {
        java.util.List<String> ids = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> UUID.randomUUID().toString()).toList();
        return com.messagingconnectors.schemas.avro.Digest.newBuilder().setGroupKey("rule-1|src_9")
                .setGroupLabel("Salesforce EU").setReason("grouped").setCount(count).setEventIds(ids)
                .setFirstOccurredAt(Instant.parse("2026-11-28T09:10:00Z"))
                .setLastOccurredAt(Instant.parse("2026-11-28T09:15:00Z")).setSamples(samples).build();
    }

    static Notification notification(PlatformEvent event, String integrationId, String channelId) {
        return Notification.newBuilder().setNotificationId(UUID.randomUUID().toString()).setChannel("teams")
                .setDestination(new Destination(integrationId + "/" + channelId, integrationId, channelId))
                .setRoutedAt(Instant.now()).setRuleId(null).setEvent(event).build();
    }
}
