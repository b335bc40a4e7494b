package com.messagingconnectors.integration.api;

import org.springframework.http.HttpStatus;

/**
 * An answer only the web layer gives (a body that is not JSON, a call without an API key), turned into problem+json
 * by {@link ApiProblems}. What the services refuse is a
 * {@link com.messagingconnectors.integration.domain.DomainException}.
 */
public class ApiException extends RuntimeException {
    private final HttpStatus status;

    public ApiException(HttpStatus status, String detail) {
        super(detail);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
