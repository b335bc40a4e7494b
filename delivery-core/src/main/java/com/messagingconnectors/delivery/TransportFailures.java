package com.messagingconnectors.delivery;

import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/**
 * What a failure without an HTTP answer means, for every channel and HTTP client: timeouts (connect, read, the whole
 * exchange) and connection problems are retryable. The detail names the host, never the URL's path or query (they may
 * carry a secret) nor a resolved address.
 */
public final class TransportFailures {

    private TransportFailures() {
    }

    /** True for every flavour of "no answer in time" (java.net.http, sockets, OkHttp, HttpClient 5). */
    public static boolean isTimeout(IOException e) {
        // SocketTimeoutException and HttpClient 5's ConnectTimeoutException are InterruptedIOExceptions
        return e instanceof HttpTimeoutException || e instanceof InterruptedIOException;
    }

    /** {@code e} talking to {@code host} as a retryable outcome: {@code timeout} or {@code connection}. */
    public static DeliveryOutcome.Retryable classify(IOException e, String host) {
        if (isTimeout(e)) {
            return new DeliveryOutcome.Retryable(FailureReason.timeout, "timed out talking to " + host + " ("
                    + e.getClass().getSimpleName() + ")", null, 0);
        }
        return new DeliveryOutcome.Retryable(FailureReason.connection, connectionProblem(host, e), null, 0);
    }

    /** The whole exchange took longer than {@code limit} (a trickling server). */
    public static DeliveryOutcome.Retryable deadlineExceeded(String host, java.time.Duration limit) {
        return new DeliveryOutcome.Retryable(FailureReason.timeout, "no complete answer from " + host + " within "
                + limit, null, 0);
    }

    /** The attempt's thread was interrupted (shutdown): retried after the restart. */
    public static DeliveryOutcome.Retryable interrupted(String host) {
        return new DeliveryOutcome.Retryable(FailureReason.connection, "interrupted while talking to " + host, null,
                0);
    }

    private static String connectionProblem(String host, IOException e) {
        return switch (e) {
            case UnknownHostException u -> "could not resolve " + host;
            case ConnectException c -> "could not connect to " + host + " (connection refused or unreachable)";
            case SSLException s -> "TLS with " + host + " failed: " + s.getMessage();
            default -> "could not reach " + host + ": " + e.getClass().getSimpleName();
        };
    }
}
