package com.messagingconnectors.delivery;

/**
 * Thrown by a sender's consumer when an attempt did not deliver, so the listener container retries it
 * ({@link Retryable}) or dead-letters it at once ({@link Permanent}); see {@link DeadLetterConfiguration}.
 */
public abstract sealed class DeliveryException extends RuntimeException {
    private final Integer httpStatus;

    private DeliveryException(String message, Integer httpStatus, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    /** The failure as an exception; {@code httpStatus} is null when the destination did not answer. */
    public static DeliveryException of(DeliveryOutcome outcome, Integer httpStatus, String notificationId) {
        return switch (outcome) {
            case DeliveryOutcome.Retryable r -> new Retryable(describe(notificationId, r.detail()), httpStatus, null);
            case DeliveryOutcome.Permanent p -> new Permanent(describe(notificationId, p.detail()), httpStatus);
            case DeliveryOutcome.Delivered d -> throw new IllegalArgumentException("a delivered notification is no failure");
        };
    }

    private static String describe(String notificationId, String reason) {
        return "delivery of notification " + notificationId + " failed: " + reason;
    }

    /** HTTP status of the destination's answer, or null when there was none (timeout, connection refused). */
    public Integer httpStatus() {
        return httpStatus;
    }

    public static final class Retryable extends DeliveryException {
        public Retryable(String message, Integer httpStatus, Throwable cause) {
            super(message, httpStatus, cause);
        }
    }

    public static final class Permanent extends DeliveryException {
        public Permanent(String message, Integer httpStatus) {
            super(message, httpStatus, null);
        }
    }
}
