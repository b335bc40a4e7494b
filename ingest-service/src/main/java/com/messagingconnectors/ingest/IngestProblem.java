package com.messagingconnectors.ingest;

import com.messagingconnectors.schemas.FieldError;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A request that ends in an RFC 9457 problem answer. {@code reason} is the short machine word also used as the
 * metric tag (invalid, malformed, too_large, ...). Carries no stack trace to the client.
 */
public class IngestProblem extends RuntimeException {
    private final HttpStatus status;
    private final String reason;
    private final List<FieldError> errors;
    private final Duration retryAfter;
    /** how many events the rejected request carried, for the metrics; 1 when it could not be told */
    private final int eventCount;
    /** the event type when one could be read, for the metrics */
    private final String eventType;

    public IngestProblem(HttpStatus status, String reason, String detail, List<FieldError> errors,
                         Duration retryAfter, int eventCount) {
        this(status, reason, detail, errors, retryAfter, eventCount, null);
    }

    private IngestProblem(HttpStatus status, String reason, String detail, List<FieldError> errors,
                          Duration retryAfter, int eventCount, String eventType) {
        super(detail, null, false, false);
        this.eventType = eventType;
        this.status = status;
        this.reason = reason;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.retryAfter = retryAfter;
        this.eventCount = eventCount;
    }

    public static IngestProblem of(HttpStatus status, String reason, String detail) {
        return new IngestProblem(status, reason, detail, List.of(), null, 1);
    }

    public static IngestProblem invalid(String detail, List<FieldError> errors, int eventCount) {
        return new IngestProblem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid", detail, errors, null, eventCount);
    }

    /** The same problem, counted under this event type. */
    public IngestProblem withType(String type) {
        return new IngestProblem(status, reason, getMessage(), errors, retryAfter, eventCount, type);
    }

    public String eventType() {
        return eventType;
    }

    public HttpStatus status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public int eventCount() {
        return eventCount;
    }
}
