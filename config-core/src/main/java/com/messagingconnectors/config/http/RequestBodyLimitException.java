package com.messagingconnectors.config.http;

import java.io.IOException;
import java.time.Duration;

/**
 * Reading a request body stopped at a limit: too large (413) or too slow (408). An {@link IOException} so that every
 * reader treats it as the failed read it is; {@link RequestBodyLimitFilter} makes sure the client gets this answer.
 */
public final class RequestBodyLimitException extends IOException {
    private final int status;
    private final String reason;

    private RequestBodyLimitException(int status, String reason, String detail) {
        super(detail, null);
        this.status = status;
        this.reason = reason;
    }

    static RequestBodyLimitException tooLarge(long maxBytes) {
        return new RequestBodyLimitException(413, "too_large", "the request body is larger than the limit of "
                + maxBytes + " bytes for this endpoint; nothing was processed");
    }

    static RequestBodyLimitException tooSlow(Duration timeout) {
        return new RequestBodyLimitException(408, "body_timeout", "the request body did not arrive within "
                + timeout.toMillis() / 1000.0 + " s; nothing was processed — send the whole body at once");
    }

    /** 413 or 408. */
    public int status() {
        return status;
    }

    /** {@code too_large} or {@code body_timeout}: the problem's {@code reason}. */
    public String reason() {
        return reason;
    }
}
