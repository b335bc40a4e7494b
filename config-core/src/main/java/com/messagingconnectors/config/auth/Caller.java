package com.messagingconnectors.config.auth;

/**
 * Who is calling: a workspace's API key (acts on that workspace only) or the operator's admin key (any workspace).
 */
public record Caller(String workspaceId, String keyId, boolean admin) {
    public static final String REQUEST_ATTRIBUTE = Caller.class.getName();

    public static Caller operator() {
        return new Caller(null, "admin", true);
    }

    public boolean mayAccess(String workspaceId) {
        return admin || this.workspaceId.equals(workspaceId);
    }
}
