package com.messagingconnectors.delivery;

/**
 * Why delivery-core dead-lettered a notification: given up after retries ({@link Retryable}) or refused for good
 * ({@link Permanent}). Its class name is the dead letter's exception-class header, which replay filters on.
 */
public abstract sealed class DeliveryException extends RuntimeException {
    private final Integer httpStatus;

    private DeliveryException(String message, Integer httpStatus, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
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
