package com.messagingconnectors.ingest;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every error answer is RFC 9457 application/problem+json: {type, title, status, detail, instance, reason, errors?}.
 * Never a stack trace; unexpected failures are logged here with theirs.
 */
@RestControllerAdvice
public class ProblemAnswers {
    private static final Logger log = LoggerFactory.getLogger(ProblemAnswers.class);

    private final IngestMetrics metrics;

    public ProblemAnswers(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    @ExceptionHandler(IngestProblem.class)
    public ResponseEntity<Map<String, Object>> ingestProblem(IngestProblem problem, HttpServletRequest request) {
        if (problem.eventCount() > 0) {
            metrics.rejected(problem.reason(), problem.eventType(), problem.eventCount());
        }
        log.info("rejected {} {}: {} {} - {}", request.getMethod(), request.getRequestURI(),
                problem.status().value(), problem.reason(), problem.getMessage());
        Map<String, Object> body = body(problem.status(), problem.getMessage(), request);
        body.put("reason", problem.reason());
        if (!problem.errors().isEmpty()) {
            body.put("errors", problem.errors());
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(problem.status());
        if (problem.retryAfter() != null) {
            answer.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, problem.retryAfter().toSeconds())));
        }
        if (problem.reason().equals("unsupported_media_type")) {
            answer.header("Accept-Post", MediaType.APPLICATION_JSON_VALUE);
        }
        return answer.contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** Spring MVC's own errors (unknown path, wrong method, ...) in the same shape. */
    private static ResponseEntity<Map<String, Object>> springError(ErrorResponse error, HttpServletRequest request) {
        ProblemDetail detail = error.getBody();
        return ResponseEntity.status(error.getStatusCode()).headers(error.getHeaders())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body(error.getStatusCode(), detail.getDetail(), request));
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Map<String, Object>> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse error) {
            return springError(error, request);
        }
        log.error("unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        HttpStatusCode status = HttpStatusCode.valueOf(500);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body(status, "an unexpected error occurred; it has been logged", request));
    }

    private static Map<String, Object> body(HttpStatusCode status, String detail, HttpServletRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status instanceof org.springframework.http.HttpStatus known
                ? known.getReasonPhrase() : "HTTP " + status.value());
        body.put("status", status.value());
        if (detail != null) {
            body.put("detail", detail);
        }
        body.put("instance", request.getRequestURI());
        return body;
    }
}
