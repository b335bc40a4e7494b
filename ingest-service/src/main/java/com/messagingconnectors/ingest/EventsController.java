package com.messagingconnectors.ingest;

import tools.jackson.databind.JsonNode;
import com.messagingconnectors.config.auth.Caller;
import com.messagingconnectors.schemas.EventJson;
import com.messagingconnectors.schemas.EventValidationException;
import com.messagingconnectors.schemas.FieldError;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /v1/events (one event) and POST /v1/events:batch ({"events": [...]}, all or nothing), each also taking
 * CloudEvents 1.0 ({@link CloudEvents}). Answers 202 only after
 * Kafka acknowledged; any problem is an RFC 9457 answer from {@link ProblemAnswers}.
 */
@RestController
public class EventsController {
    /**
     * One DEBUG line per accepted event, off by default: at thousands of single-event requests a second, writing it
     * cost about 7% of ingest's CPU, and the accepted counters and the event's trace already answer for it.
     */
    private static final Logger accepted = LoggerFactory.getLogger("com.messagingconnectors.ingest.accepted");

    private final JsonBodies bodies;
    private final EventPublisher publisher;
    private final IngestMetrics metrics;
    private final IngestProperties properties;
    private final IngestAdmission admission;
    private final IngestRateLimiter rateLimiter;

    public EventsController(JsonBodies bodies, EventPublisher publisher, IngestMetrics metrics,
                            IngestProperties properties, IngestAdmission admission, IngestRateLimiter rateLimiter) {
        this.admission = admission;
        this.rateLimiter = rateLimiter;
        this.bodies = bodies;
        this.publisher = publisher;
        this.metrics = metrics;
        this.properties = properties;
    }

    /**
     * One event: our event JSON, or a CloudEvent in structured ({@code application/cloudevents+json}) or binary
     * mode ({@code ce-*} headers); a CloudEvents batch ({@code application/cloudevents-batch+json}) is accepted here
     * too, as the CloudEvents HTTP binding sends batches to the same URL.
     */
    @PostMapping("/v1/events")
    public ResponseEntity<String> publishOne(HttpServletRequest request) {
        if (CloudEvents.is(CloudEvents.BATCH, request.getContentType())) {
            return publishBatch(request);
        }
        rateLimiter.take(request, 1);
        try (IngestAdmission.Ticket admitted = admission.admit(request)) {
            if (CloudEvents.is(CloudEvents.STRUCTURED, request.getContentType())) {
                JsonNode body = bodies.read(request, admitted, CloudEvents.STRUCTURED);
                return publishOne(request, body, () -> CloudEvents.fromStructured(body, ""));
            }
            if (request.getHeader(CloudEvents.SPEC_VERSION_HEADER) != null) {
                JsonNode data = bodies.read(request, admitted);
                Map<String, String> headers = ceHeaders(request);
                return publishOne(request, null, () -> CloudEvents.fromBinary(headers, data));
            }
            JsonNode body = bodies.read(request, admitted);
            return publishOne(request, body, () -> EventJson.fromJson(body));
        }
    }

    /** @param body the body when it is an event object, to count a refused event under its type */
    private ResponseEntity<String> publishOne(HttpServletRequest request, JsonNode body, Supplier<PlatformEvent> read) {
        PlatformEvent event;
        try {
            event = read.get();
        } catch (EventValidationException e) {
            throw IngestProblem.invalid("the event is invalid: " + e.errors().size() + " problem(s), see errors",
                    e.errors(), 1).withType(body == null ? null : typeOf(body));
        }
        checkWorkspaces(request, List.of(event));
        publish(List.of(event));
        // The id is a validated UUID: no escaping needed, no serializer on the hot path.
        return accepted("{\"eventId\":\"" + event.getEventId() + "\"}");
    }

    /** {"events": [...]} of event JSON, or a CloudEvents batch (a JSON array of structured CloudEvents). */
    @PostMapping("/v1/events:batch")
    public ResponseEntity<String> publishBatch(HttpServletRequest request) {
        // one event's worth before the body is read, so a key over its limit costs no reading at all
        rateLimiter.take(request, 1);
        try (IngestAdmission.Ticket admitted = admission.admit(request)) {
            if (CloudEvents.is(CloudEvents.BATCH, request.getContentType())) {
                return publishBatch(request, cloudEventsBatch(bodies.read(request, admitted, CloudEvents.BATCH)), true);
            }
            return publishBatch(request, batchEvents(bodies.read(request, admitted)), false);
        }
    }

    private ResponseEntity<String> publishBatch(HttpServletRequest request, JsonNode events, boolean cloudEvents) {
        rateLimiter.take(request, events.size() - 1); // a batch costs its number of events
        List<PlatformEvent> valid = new ArrayList<>(events.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            try {
                valid.add(cloudEvents ? CloudEvents.fromStructured(events.get(i), "[" + i + "]")
                        : EventJson.fromJson(events.get(i), "events[" + i + "]"));
            } catch (EventValidationException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw IngestProblem.invalid("the batch was rejected as a whole: " + (events.size() - valid.size())
                    + " of " + events.size() + " event(s) are invalid, see errors; nothing was published",
                    errors, events.size());
        }
        checkWorkspaces(request, valid);
        publish(valid);
        StringBuilder json = new StringBuilder(16 + valid.size() * 40).append("{\"eventIds\":[");
        for (int i = 0; i < valid.size(); i++) {
            json.append(i == 0 ? "\"" : ",\"").append(valid.get(i).getEventId()).append('"');
        }
        return accepted(json.append("]}").toString());
    }

    /** A CloudEvents batch: a JSON array of events, within the same count limit as our batch ({@link #checkCount}). */
    private JsonNode cloudEventsBatch(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (!body.isArray()) {
            errors.add(new FieldError("", "must be a JSON array of CloudEvents"));
        } else {
            checkCount(body, "", errors);
        }
        if (!errors.isEmpty()) {
            throw invalidBatch(errors, body);
        }
        return body;
    }

    /** The ce-* headers of a binary-mode request, names lower-case; a repeated header is refused. */
    private static Map<String, String> ceHeaders(HttpServletRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement().toLowerCase(Locale.ROOT);
            if (!name.startsWith("ce-")) {
                continue;
            }
            Enumeration<String> values = request.getHeaders(name);
            headers.put(name, values.nextElement());
            if (values.hasMoreElements()) {
                throw IngestProblem.invalid("the event is invalid: 1 problem(s), see errors", List.of(
                        new FieldError(name.substring(3), "header " + name + " appears more than once")), 1);
            }
        }
        return headers;
    }

    /** The "events" array of a batch body, after checking the envelope and the count. */
    private JsonNode batchEvents(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (!body.isObject()) {
            errors.add(new FieldError("", "must be a JSON object {\"events\": [...]}"));
        } else {
            for (Iterator<String> names = body.propertyNames().iterator(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("events")) {
                    errors.add(new FieldError(name, "unknown field; the batch body is {\"events\": [...]}"));
                }
            }
            JsonNode events = body.get("events");
            if (events == null || events.isNull()) {
                errors.add(new FieldError("events", "is required (an array of events)"));
            } else if (!events.isArray()) {
                errors.add(new FieldError("events", "must be an array of events"));
            } else {
                checkCount(events, "events", errors);
            }
            if (errors.isEmpty()) {
                return events;
            }
        }
        throw invalidBatch(errors, body.path("events"));
    }

    /**
     * The one rule for how many events a batch may hold, whatever its format (our {"events": [...]} or a CloudEvents
     * batch): at least one, at most {@code ingest.max-batch-events}. Checked before any event is read.
     */
    private void checkCount(JsonNode events, String field, List<FieldError> errors) {
        if (events.isEmpty()) {
            errors.add(new FieldError(field, "must contain at least one event"));
        } else if (events.size() > properties.maxBatchEvents()) {
            errors.add(new FieldError(field, "must contain at most " + properties.maxBatchEvents()
                    + " events, had " + events.size() + "; split the batch"));
        }
    }

    private static IngestProblem invalidBatch(List<FieldError> errors, JsonNode events) {
        return IngestProblem.invalid("the batch is invalid, see errors; nothing was published", errors,
                events.isArray() ? Math.max(1, events.size()) : 1);
    }

    /** A workspace key may only ingest for its own workspace; the operator key for any (platform services). */
    private static void checkWorkspaces(HttpServletRequest request, List<PlatformEvent> events) {
        Caller caller = (Caller) request.getAttribute(Caller.REQUEST_ATTRIBUTE);
        for (PlatformEvent event : events) {
            if (caller == null || !caller.mayAccess(event.getWorkspaceId())) {
                throw IngestProblem.of(HttpStatus.FORBIDDEN, "forbidden_workspace", "this API key belongs to workspace "
                        + (caller == null ? "?" : caller.workspaceId()) + " and cannot send events for workspace "
                        + event.getWorkspaceId() + "; nothing was published");
            }
        }
    }

    private void publish(List<PlatformEvent> events) {
        try {
            publisher.publish(events);
        } catch (PublishFailedException e) {
            for (PlatformEvent event : events) {
                metrics.rejected(e.failure().reason, event.getType(), 1);
            }
            throw new IngestProblem(HttpStatus.SERVICE_UNAVAILABLE, e.failure().reason,
                    e.failure().detail + "; nothing is lost by retrying after the Retry-After delay with the same "
                            + "event id(s)", List.of(), properties.retryAfter(), 0);
        }
        for (PlatformEvent event : events) {
            metrics.accepted(event.getType());
            accepted.debug("accepted event {} type={} workspace={}", event.getEventId(), event.getType(),
                    event.getWorkspaceId());
        }
    }

    private static ResponseEntity<String> accepted(String json) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).contentType(MediaType.APPLICATION_JSON).body(json);
    }

    private static String typeOf(JsonNode event) {
        JsonNode type = event.path("type");
        return type.isString() ? type.stringValue(null) : null;
    }
}
