package com.messagingconnectors.schemas.registry;

/**
 * The schema registry could not be reached or answered with an error. The message says which registry and why,
 * so it can be acted on without a debugger (e.g. "schema registry at http://127.0.0.1:8081 is unreachable:
 * connection refused" or "... answered 409 (error_code 409): Schema being registered is incompatible ...").
 */
public class SchemaRegistryException extends RuntimeException {
    /** Answered HTTP status, or 0 when no answer was received. */
    private final int httpStatus;
    /** Confluent's error_code from the answer body, or 0 when there was none. */
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = 0;
        this.errorCode = 0;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    /** True when the registry answered "not found" for a subject, version or schema (Confluent codes 404xx). */
    public boolean isNotFound() {
        return httpStatus == 404;
    }
}
