package com.messagingconnectors.integration.api;

import com.messagingconnectors.config.store.ConfigStoreUnavailableException;
import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.schemas.EventValidationException;
import com.messagingconnectors.schemas.FieldError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.List;

/**
 * Every error is RFC 9457 problem+json with a detail a person can act on; field errors are listed under "errors".
 * The one place where a {@link DomainException} gets its HTTP status ({@link #status}; the console uses it too).
 */
@RestControllerAdvice
public class ApiProblems extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    /** The HTTP status a domain refusal is answered with, for the API and the console alike. */
    public static HttpStatus status(DomainException e) {
        return switch (e) {
            case DomainException.NotFound ignored -> HttpStatus.NOT_FOUND;
            case DomainException.Conflict ignored -> HttpStatus.CONFLICT;
            case DomainException.WrongKind ignored -> HttpStatus.CONFLICT;
            case DomainException.StaleVersion ignored -> HttpStatus.PRECONDITION_FAILED;
            case DomainException.Invalid ignored -> HttpStatus.UNPROCESSABLE_CONTENT;
            case DomainException.NotPermitted ignored -> HttpStatus.FORBIDDEN;
            case DomainException.Unavailable ignored -> HttpStatus.SERVICE_UNAVAILABLE;
            // a refusal the caller can fix keeps its status; the rest is the upstream's fault
            case DomainException.UpstreamFailed u -> u.refusedWith() == 0 ? HttpStatus.BAD_GATEWAY
                    : HttpStatus.valueOf(u.refusedWith());
        };
    }

    /** The field errors a refusal carries (only invalid input has any). */
    public static List<FieldError> errors(DomainException e) {
        return e instanceof DomainException.Invalid invalid ? invalid.errors() : List.of();
    }

    @ExceptionHandler(DomainException.class)
    ResponseEntity<ProblemDetail> domain(DomainException e) {
        return problem(status(e), e.getMessage(), errors(e));
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        return problem(e.status(), e.getMessage(), List.of());
    }

    @ExceptionHandler(EventValidationException.class)
    ResponseEntity<ProblemDetail> event(EventValidationException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage(), e.errors());
    }

    @ExceptionHandler(ConfigStoreUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(ConfigStoreUnavailableException e) {
        log.warn("config store unavailable: {}", e.getMessage());
        ResponseEntity<ProblemDetail> answer = problem(HttpStatus.SERVICE_UNAVAILABLE,
                "the configuration store (Kafka) is unavailable; nothing was changed, try again", List.of());
        return ResponseEntity.status(answer.getStatusCode()).header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(answer.getBody());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        String detail = e.getMostSpecificCause().getMessage();
        // Jackson's message starts with what is wrong and where; cut the source excerpt it appends
        int cut = detail == null ? -1 : detail.indexOf(" at [Source");
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "the body is not valid JSON for this endpoint: " + (cut > 0 ? detail.substring(0, cut) : detail));
        return ResponseEntity.badRequest().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail, List<FieldError> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        if (!errors.isEmpty()) {
            body.setProperty("errors", errors);
        }
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }
}
