package com.messagingconnectors.ingest;

import com.messagingconnectors.config.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;

/** The API key a request came with, as the name its in-flight share and its rate limit are kept under. */
final class CallerKey {
    static final String OPERATOR = "operator";

    private CallerKey() {
    }

    /** {@code workspace/keyId}, {@value #OPERATOR} for the operator key, null when the request is not authenticated. */
    static String of(HttpServletRequest request) {
        Caller caller = (Caller) request.getAttribute(Caller.REQUEST_ATTRIBUTE);
        if (caller == null) {
            return null;
        }
        return caller.admin() ? OPERATOR : caller.workspaceId() + "/" + caller.keyId();
    }
}
