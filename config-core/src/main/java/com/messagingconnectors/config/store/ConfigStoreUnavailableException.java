package com.messagingconnectors.config.store;

/** Kafka did not accept a connectors.config write in time: the API answers 503 and nothing was changed. */
public class ConfigStoreUnavailableException extends RuntimeException {
    public ConfigStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
