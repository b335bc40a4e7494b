package com.messagingconnectors.config.auth;

import java.util.Set;

/**
 * Who is calling: a workspace's API key (acts on that workspace only, within its scopes) or the operator's admin key
 * (any workspace, every scope, and the operator-only endpoints).
 */
public record Caller(String workspaceId, String keyId, boolean admin, Set<Scope> scopes) {
    /** The request attribute holding the authenticated caller, for handlers that check a workspace named in a body. */
    public static final String REQUEST_ATTRIBUTE = "com.messagingconnectors.config.auth.Caller";

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public static Caller operator() {
        return new Caller(null, "admin", true, Scope.all());
    }

    public boolean mayAccess(String workspaceId) {
        return admin || this.workspaceId.equals(workspaceId);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }
}
