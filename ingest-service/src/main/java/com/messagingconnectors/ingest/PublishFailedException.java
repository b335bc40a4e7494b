package com.messagingconnectors.ingest;

/** The broker did not acknowledge in time, or the schema registry could not be used: the client should retry. */
public class PublishFailedException extends RuntimeException {
    public enum Cause {
        BROKER_UNAVAILABLE("broker_unavailable", "Kafka did not acknowledge the event(s) in time"),
        REGISTRY_UNAVAILABLE("registry_unavailable", "the schema registry could not be used to encode the event(s)");

        final String reason;
        final String detail;

        Cause(String reason, String detail) {
            this.reason = reason;
            this.detail = detail;
        }
    }

    private final Cause cause;

    public PublishFailedException(Cause cause, String message, Throwable throwable) {
        super(message, throwable);
        this.cause = cause;
    }

    public Cause failure() {
        return cause;
    }
}
