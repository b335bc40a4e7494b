package com.messagingconnectors.schemas;

import com.messagingconnectors.schemas.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import com.messagingconnectors.schemas.avro.AlertResolved;
import com.messagingconnectors.schemas.avro.AlertTriggered;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.ReportCompleted;
import com.messagingconnectors.schemas.avro.SyncFailed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventJsonTest {
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A valid report.completed event; tests change one thing in it. */
    private static ObjectNode reportCompleted() {
        return json("""
                {'type': 'report.completed', 'workspaceId': 'ws_acme', 'summary': 'Weekly revenue is ready',
                 'payload': {'reportId': 'rep_1', 'reportName': 'Weekly revenue', 'rowCount': 1200}}""");
    }

    private static List<FieldError> errorsOf(JsonNode node) {
        try {
            EventJson.fromJson(node);
        } catch (EventValidationException e) {
            return e.errors();
        }
        throw new AssertionError("expected the event to be rejected: " + node);
    }

    private static List<String> fieldsOf(JsonNode node) {
        return errorsOf(node).stream().map(FieldError::field).toList();
    }

    @Test
    void minimalEventGetsGeneratedIdNowInfoLevelAndTypedPayload() {
        Instant before = Instant.now().minusMillis(1);
        PlatformEvent event = EventJson.fromJson(reportCompleted());

        assertThat(UUID.fromString(event.getEventId())).isNotNull();
        assertThat(event.getType()).isEqualTo("report.completed");
        assertThat(event.getWorkspaceId()).isEqualTo("ws_acme");
        assertThat(event.getOccurredAt()).isBetween(before, Instant.now().plusMillis(1));
        assertThat(event.getLevel()).isEqualTo(Level.info);
        assertThat(event.getSummary()).isEqualTo("Weekly revenue is ready");
        assertThat(event.getLink()).isNull();
        assertThat(event.getSource()).isNull();
        assertThat(event.getAttributes()).isEmpty();
        assertThat(event.getPayload()).isEqualTo(ReportCompleted.newBuilder()
                .setReportId("rep_1").setReportName("Weekly revenue").setRowCount(1200L).build());
    }

    @Test
    void generatedIdsDiffer() {
        assertThat(EventJson.fromJson(reportCompleted()).getEventId())
                .isNotEqualTo(EventJson.fromJson(reportCompleted()).getEventId());
    }

    @Test
    void clientFieldsAreKept() {
        ObjectNode node = reportCompleted();
        node.put("id", "3f2b6c1e-8a4d-4c1b-9e2f-5a6b7c8d9e0f");
        node.put("occurredAt", "2026-03-01T13:00:00.123456+01:00");
        node.put("level", "warning");
        node.put("link", "https://app.example.com/reports/rep_1");
        node.put("source", "reporting");
        node.putObject("attributes").put("team", "finance").put("region", "eu");

        PlatformEvent event = EventJson.fromJson(node);

        assertThat(event.getEventId()).isEqualTo("3f2b6c1e-8a4d-4c1b-9e2f-5a6b7c8d9e0f");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2026-03-01T12:00:00.123Z"));
        assertThat(event.getLevel()).isEqualTo(Level.warning);
        assertThat(event.getLink()).isEqualTo("https://app.example.com/reports/rep_1");
        assertThat(event.getSource()).isEqualTo("reporting");
        assertThat(event.getAttributes()).isEqualTo(Map.of("team", "finance", "region", "eu"));
    }

    @Test
    void alertTriggeredDefaultsToAlertLevel() {
        ObjectNode node = json("""
                {'type': 'alert.triggered', 'workspaceId': 'ws_acme', 'summary': 'Error rate above 5%',
                 'payload': {'alertId': 'al_1', 'alertName': 'Errors', 'metric': 'error_rate', 'comparator': '>',
                             'threshold': 5, 'value': 7.5}}""");
        PlatformEvent event = EventJson.fromJson(node);
        assertThat(event.getLevel()).isEqualTo(Level.alert);
        assertThat(((AlertTriggered) event.getPayload()).getThreshold()).isEqualTo(5.0);

        node.put("level", "info");
        assertThat(EventJson.fromJson(node).getLevel()).isEqualTo(Level.info);
    }

    @Test
    void alertResolvedIsATypedPayloadCheckedLikeTheOthers() {
        ObjectNode node = json("""
                {'type': 'alert.resolved', 'workspaceId': 'ws_acme', 'summary': 'Error rate back below 5%',
                 'payload': {'alertId': 'al_1', 'alertName': 'Errors', 'resolvedAt': '2026-03-01T13:05:00+01:00',
                             'value': 3}}""");
        PlatformEvent event = EventJson.fromJson(node);
        assertThat(event.getLevel()).isEqualTo(Level.info);
        AlertResolved resolved = (AlertResolved) event.getPayload();
        assertThat(resolved.getAlertId()).isEqualTo("al_1");
        assertThat(resolved.getResolvedAt()).isEqualTo(java.time.Instant.parse("2026-03-01T12:05:00Z"));
        assertThat(EventJson.toWebhookJson(event).path("data").path("payload").toString()).isEqualTo(
                "{\"alertId\":\"al_1\",\"alertName\":\"Errors\",\"resolvedAt\":\"2026-03-01T12:05:00.000Z\","
                        + "\"value\":3.0}");

        ObjectNode bad = json("""
                {'type': 'alert.resolved', 'workspaceId': 'ws_acme', 'summary': 'resolved',
                 'payload': {'alertName': 'Errors', 'resolvedAt': 'yesterday', 'severity': 'high'}}""");
        assertThat(fieldsOf(bad)).containsExactlyInAnyOrder("payload.severity", "payload.alertId",
                "payload.resolvedAt");
    }

    @Test
    void newTypeCarriesItsPayloadAsCompactJson() {
        ObjectNode node = json("""
                {'type': 'billing.invoice_paid', 'workspaceId': 'ws_acme', 'summary': 'Invoice paid',
                 'payload': {'invoiceId': 'inv_9',   'amount': 12.5, 'lines': [1, 2], 'meta': {'b': true}}}""");
        PlatformEvent event = EventJson.fromJson(node);
        assertThat(event.getPayload()).isEqualTo(
                new GenericPayload("{\"invoiceId\":\"inv_9\",\"amount\":12.5,\"lines\":[1,2],\"meta\":{\"b\":true}}"));
        assertThat(event.getLevel()).isEqualTo(Level.info);
    }

    @Test
    void typedTypesComeFromThePayloadUnion() {
        assertThat(EventJson.typedEventTypes()).containsExactly(
                "alert.resolved", "alert.triggered", "report.completed", "sync.failed", "user.deactivated",
                "user.invited");
    }

    @Test
    void missingRequiredFieldsAreAllNamed() {
        assertThat(errorsOf(json("{}"))).containsExactly(
                new FieldError("type", "is required"),
                new FieldError("workspaceId", "is required"),
                new FieldError("summary", "is required"),
                new FieldError("payload", "is required (a JSON object, may be {} for types without fields)"));
    }

    @Test
    void nonObjectEventIsRejected() {
        assertThat(errorsOf(MAPPER.valueToTree(List.of(1)))).extracting(FieldError::problem)
                .containsExactly("must be a JSON object (an event), was an array");
    }

    @Test
    void unknownTopLevelFieldIsRejected() {
        ObjectNode node = reportCompleted();
        node.put("severity", "high");
        List<FieldError> errors = errorsOf(node);
        assertThat(errors).extracting(FieldError::field).containsExactly("severity");
        assertThat(errors.get(0).problem()).startsWith("unknown field; allowed fields are id, type, workspaceId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"report", "Report.completed", "report..completed", "report.completed.", "1report.x",
            "report.completed-now", "report. completed"})
    void badTypeIsRejected(String type) {
        ObjectNode node = reportCompleted();
        node.put("type", type);
        assertThat(fieldsOf(node)).containsExactly("type");
    }

    @Test
    void typeOfMoreThan100CharactersIsRejected() {
        ObjectNode node = reportCompleted();
        node.put("type", "a." + "b".repeat(99));
        assertThat(errorsOf(node)).containsExactly(new FieldError("type", "must be at most 100 characters"));
        node.put("type", "a." + "b".repeat(98));
        assertThat(EventJson.fromJson(node).getType()).hasSize(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme", "ws_", "WS_acme", "ws_acme corp", "ws_acme.eu", "ws_é"})
    void badWorkspaceIdIsRejected(String workspaceId) {
        ObjectNode node = reportCompleted();
        node.put("workspaceId", workspaceId);
        assertThat(errorsOf(node)).extracting(FieldError::field).containsExactly("workspaceId");
    }

    @Test
    void workspaceIdLengthLimit() {
        ObjectNode node = reportCompleted();
        node.put("workspaceId", "ws_" + "a".repeat(60));
        assertThat(EventJson.fromJson(node).getWorkspaceId()).hasSize(63);
        node.put("workspaceId", "ws_" + "a".repeat(61));
        assertThat(fieldsOf(node)).containsExactly("workspaceId");
        node.put("workspaceId", "ws_Acme-1_x");
        assertThat(EventJson.fromJson(node).getWorkspaceId()).isEqualTo("ws_Acme-1_x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-03-01T12:00:00", "2026-03-01", "yesterday", "1709294400000"})
    void occurredAtWithoutOffsetIsRejected(String occurredAt) {
        ObjectNode node = reportCompleted();
        node.put("occurredAt", occurredAt);
        assertThat(fieldsOf(node)).containsExactly("occurredAt");
    }

    @Test
    void occurredAtAsNumberIsRejected() {
        ObjectNode node = reportCompleted();
        node.put("occurredAt", 1709294400000L);
        assertThat(errorsOf(node)).containsExactly(
                new FieldError("occurredAt", "must be a string, was the whole number 1709294400000"));
    }

    @Test
    void badIdLevelLinkAreRejected() {
        ObjectNode node = reportCompleted();
        node.put("id", "42");
        node.put("level", "critical");
        node.put("link", "ftp://files.example.com/x");
        assertThat(fieldsOf(node)).containsExactly("id", "level", "link");
        node.put("id", UUID.randomUUID().toString());
        node.put("level", "alert");
        node.put("link", "/reports/1");
        assertThat(fieldsOf(node)).containsExactly("link");
        node.put("link", "http://localhost:8080/reports/1");
        assertThat(EventJson.fromJson(node).getLink()).isEqualTo("http://localhost:8080/reports/1");
    }

    @Test
    void summaryMustHave1To1000Characters() {
        ObjectNode node = reportCompleted();
        node.put("summary", "");
        assertThat(fieldsOf(node)).containsExactly("summary");
        node.put("summary", "   ");
        assertThat(fieldsOf(node)).containsExactly("summary");
        node.put("summary", "é".repeat(1000));
        assertThat(EventJson.fromJson(node).getSummary()).hasSize(1000);
        node.put("summary", "x".repeat(1001));
        assertThat(errorsOf(node)).containsExactly(
                new FieldError("summary", "must be at most 1000 characters, was 1001"));
        node.put("summary", 5);
        assertThat(errorsOf(node)).containsExactly(new FieldError("summary", "must be a string, was the whole number 5"));
    }

    @Test
    void attributesMustBeAnObjectOfStrings() {
        ObjectNode node = reportCompleted();
        node.putObject("attributes").put("team", "finance").put("priority", 1).putNull("owner");
        assertThat(fieldsOf(node)).containsExactly("attributes.priority", "attributes.owner");
        node.putArray("attributes").add("x");
        assertThat(fieldsOf(node)).containsExactly("attributes");
    }

    @Test
    void payloadMustBeAnObject() {
        ObjectNode node = reportCompleted();
        node.put("payload", "rep_1");
        assertThat(errorsOf(node)).containsExactly(new FieldError("payload", "must be a JSON object, was a string"));
        node.put("type", "some.new_type");
        node.putArray("payload");
        assertThat(fieldsOf(node)).containsExactly("payload");
    }

    @Test
    void typedPayloadIsCheckedAgainstItsRecord() {
        ObjectNode node = json("""
                {'type': 'report.completed', 'workspaceId': 'ws_acme', 'summary': 'done',
                 'payload': {'reportName': 7, 'rowCount': '12', 'durationMs': 1.5, 'color': 'red'}}""");
        assertThat(errorsOf(node)).containsExactly(
                new FieldError("payload.color", "unknown field; allowed fields are reportId, reportName, rowCount, "
                        + "durationMs, downloadUrl"),
                new FieldError("payload.reportId", "is required (a string)"),
                new FieldError("payload.reportName", "must be a string, was the whole number 7"),
                new FieldError("payload.rowCount", "must be a whole number, was a string"),
                new FieldError("payload.durationMs", "must be a whole number, was the number 1.5"));
    }

    @Test
    void intFieldsMustFitInAnInt() {
        ObjectNode node = json("""
                {'type': 'sync.failed', 'workspaceId': 'ws_acme', 'summary': 'Sync failed',
                 'payload': {'sourceId': 's1', 'sourceName': 'Postgres', 'errorMessage': 'timeout',
                             'attempt': 3000000000}}""");
        assertThat(errorsOf(node)).containsExactly(new FieldError("payload.attempt",
                "must be a whole number between -2147483648 and 2147483647, was the whole number 3000000000"));
        node.withObjectProperty("payload").put("attempt", 3);
        assertThat(((SyncFailed) EventJson.fromJson(node).getPayload()).getAttempt()).isEqualTo(3);
    }

    @Test
    void doubleFieldsRejectStrings() {
        ObjectNode node = json("""
                {'type': 'alert.triggered', 'workspaceId': 'ws_acme', 'summary': 'Errors',
                 'payload': {'alertId': 'al_1', 'alertName': 'Errors', 'metric': 'error_rate', 'comparator': '>',
                             'threshold': '5', 'value': true}}""");
        assertThat(errorsOf(node)).containsExactly(
                new FieldError("payload.threshold", "must be a number, was a string"),
                new FieldError("payload.value", "must be a number, was true"));
    }

    @Test
    void allProblemsAreReportedTogetherWithThePathPrefix() {
        ObjectNode node = json("""
                {'type': 'user.invited', 'workspaceId': 'acme', 'summary': '', 'extra': 1,
                 'payload': {'invitedBy': 'ann@example.com'}}""");
        assertThatThrownBy(() -> EventJson.fromJson(node, "events[3]"))
                .isInstanceOf(EventValidationException.class)
                .hasMessageContaining("events[3].summary: must not be empty or blank")
                .extracting(e -> ((EventValidationException) e).errors().stream().map(FieldError::field).toList())
                .isEqualTo(List.of("events[3].extra", "events[3].workspaceId", "events[3].summary",
                        "events[3].payload.userEmail"));
    }

    @Test
    void explicitNullOptionalFieldsMeanAbsent() {
        ObjectNode node = reportCompleted();
        node.putNull("id");
        node.putNull("link");
        node.putNull("attributes");
        node.withObjectProperty("payload").putNull("rowCount");
        PlatformEvent event = EventJson.fromJson(node);
        assertThat(event.getLink()).isNull();
        assertThat(((ReportCompleted) event.getPayload()).getRowCount()).isNull();
    }

    // ---- output --------------------------------------------------------------------------------------------

    private static final List<String> KNOWN_TYPE_EVENTS = List.of(
            """
            {'type': 'report.completed', 'workspaceId': 'ws_acme', 'summary': 'Weekly revenue is ready',
             'payload': {'reportId': 'rep_1', 'reportName': 'Weekly revenue', 'rowCount': 1200, 'durationMs': 5300,
                         'downloadUrl': 'https://app.example.com/reports/rep_1.csv'}}""",
            """
            {'type': 'sync.failed', 'workspaceId': 'ws_acme', 'summary': 'Postgres sync failed', 'level': 'warning',
             'payload': {'sourceId': 'src_1', 'sourceName': 'Postgres', 'connector': 'postgres',
                         'errorMessage': 'connection refused', 'attempt': 3}}""",
            """
            {'type': 'user.invited', 'workspaceId': 'ws_acme', 'summary': 'ann@example.com was invited',
             'payload': {'userEmail': 'ann@example.com', 'invitedBy': 'bob@example.com', 'role': 'admin'}}""",
            """
            {'type': 'user.deactivated', 'workspaceId': 'ws_acme', 'summary': 'bob@example.com was deactivated',
             'payload': {'userEmail': 'bob@example.com', 'deactivatedBy': 'ann@example.com'}}""",
            """
            {'type': 'alert.triggered', 'workspaceId': 'ws_acme', 'summary': 'Error rate above 5%',
             'payload': {'alertId': 'al_1', 'alertName': 'Errors', 'metric': 'error_rate', 'comparator': '>=',
                         'threshold': 5.0, 'value': 7.25}}""",
            """
            {'type': 'billing.invoice_paid', 'workspaceId': 'ws_acme', 'summary': 'Invoice paid',
             'payload': {'invoiceId': 'inv_9', 'amount': 12.5, 'lines': [{'sku': 'a'}], 'note': null}}""");

    @Test
    void roundTripThroughTheEventJsonForEveryKnownTypeAndANewType() {
        for (String text : KNOWN_TYPE_EVENTS) {
            ObjectNode input = json(text);
            input.put("link", "https://app.example.com/x");
            input.putObject("attributes").put("team", "data");
            PlatformEvent event = EventJson.fromJson(input);

            ObjectNode written = EventJson.toEventJson(event);
            assertThat(EventJson.fromJson(written)).as(text).isEqualTo(event);
            assertThat(written.get("payload").toString()).as(text).isEqualTo(input.get("payload").toString());
        }
    }

    @Test
    void webhookJsonHasTypeTimestampAndDataInAFixedOrder() {
        ObjectNode input = json(KNOWN_TYPE_EVENTS.get(0));
        input.put("id", "3f2b6c1e-8a4d-4c1b-9e2f-5a6b7c8d9e0f");
        input.put("occurredAt", "2026-03-01T13:00:00+01:00");
        input.put("source", "reporting");
        input.put("link", "https://app.example.com/reports/rep_1");
        input.putObject("attributes").put("z", "last").put("a", "first");
        input.withObjectProperty("payload").remove("durationMs");

        ObjectNode webhook = EventJson.toWebhookJson(EventJson.fromJson(input));

        assertThat(webhook.toString()).isEqualTo(json("""
                {'type': 'report.completed', 'timestamp': '2026-03-01T12:00:00.000Z',
                 'data': {'eventId': '3f2b6c1e-8a4d-4c1b-9e2f-5a6b7c8d9e0f', 'workspaceId': 'ws_acme',
                          'level': 'info', 'summary': 'Weekly revenue is ready',
                          'link': 'https://app.example.com/reports/rep_1', 'source': 'reporting',
                          'attributes': {'a': 'first', 'z': 'last'},
                          'payload': {'reportId': 'rep_1', 'reportName': 'Weekly revenue', 'rowCount': 1200,
                                      'downloadUrl': 'https://app.example.com/reports/rep_1.csv'}}}""").toString());
    }

    @Test
    void webhookJsonLeavesOutAbsentOptionalsAndKeepsGenericPayloads() {
        PlatformEvent event = EventJson.fromJson(json(KNOWN_TYPE_EVENTS.get(5)));
        ObjectNode webhook = EventJson.toWebhookJson(event);

        List<String> dataFields = new ArrayList<>();
        webhook.get("data").propertyNames().iterator().forEachRemaining(dataFields::add);
        assertThat(dataFields).containsExactly("eventId", "workspaceId", "level", "summary", "payload");
        assertThat(webhook.get("data").get("payload")).isEqualTo(json(KNOWN_TYPE_EVENTS.get(5)).get("payload"));
        assertThat(webhook.get("timestamp").stringValue(null)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(Duration.between(Instant.parse(webhook.get("timestamp").stringValue(null)), Instant.now()))
                .isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void genericPayloadThatIsNotJsonIsPassedOnAsText() {
        PlatformEvent event = EventJson.fromJson(json(KNOWN_TYPE_EVENTS.get(5)));
        event.setPayload(new GenericPayload("not json {"));
        assertThat(EventJson.toWebhookJson(event).get("data").get("payload").stringValue(null)).isEqualTo("not json {");
    }
}
