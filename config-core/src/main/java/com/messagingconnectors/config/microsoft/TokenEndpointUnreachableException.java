package com.messagingconnectors.config.microsoft;

/** The token endpoint could not be reached or did not answer in time (worth trying again later). */
public class TokenEndpointUnreachableException extends RuntimeException {
    private final boolean timedOut;

    public TokenEndpointUnreachableException(String message, boolean timedOut) {
        super(message);
        this.timedOut = timedOut;
    }

    public boolean timedOut() {
        return timedOut;
    }
}
