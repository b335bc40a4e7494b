package com.messagingconnectors.integration.api;

import com.messagingconnectors.schemas.FieldError;
import org.springframework.http.HttpStatus;

import java.util.List;

/** An answer other than success, turned into problem+json by {@link ApiProblems}. */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final List<FieldError> errors;

    public ApiException(HttpStatus status, String detail) {
        this(status, detail, List.of());
    }

    public ApiException(HttpStatus status, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static ApiException invalid(List<FieldError> errors) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().problem()
                : errors.size() + " fields are invalid; see errors", errors);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, what + " does not exist");
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
