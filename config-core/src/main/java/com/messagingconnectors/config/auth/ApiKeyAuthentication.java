package com.messagingconnectors.config.auth;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.ArrayList;
import java.util.List;

/**
 * Spring Security's view of an API-key call: before authentication it holds the presented key, afterwards the
 * {@link Caller} with one authority per scope ({@code SCOPE_events:write}, …) and {@code ROLE_OPERATOR} for the admin
 * key. The key itself is never kept after authentication.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {
    public static final String OPERATOR_AUTHORITY = "ROLE_OPERATOR";
    private final transient String presentedKey;
    private final Caller caller;

    private ApiKeyAuthentication(String presentedKey, Caller caller, List<GrantedAuthority> authorities) {
        super(authorities);
        this.presentedKey = presentedKey;
        this.caller = caller;
        setAuthenticated(caller != null);
    }

    public static ApiKeyAuthentication unauthenticated(String presentedKey) {
        return new ApiKeyAuthentication(presentedKey, null, List.of());
    }

    public static ApiKeyAuthentication authenticated(Caller caller) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        caller.scopes().forEach(s -> authorities.add(new SimpleGrantedAuthority(authority(s))));
        if (caller.admin()) {
            authorities.add(new SimpleGrantedAuthority(OPERATOR_AUTHORITY));
        }
        return new ApiKeyAuthentication(null, caller, authorities);
    }

    public static String authority(Scope scope) {
        return "SCOPE_" + scope.id();
    }

    String presentedKey() {
        return presentedKey;
    }

    public Caller caller() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return caller;
    }
}
