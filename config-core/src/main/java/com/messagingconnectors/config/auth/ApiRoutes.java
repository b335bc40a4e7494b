package com.messagingconnectors.config.auth;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * A service's own routes and who may call them, declared with Spring Security's request matchers (the same path
 * patterns Spring MVC matches handlers with). Each service contributes one bean; {@link ApiSecurityAutoConfiguration}
 * adds them to the one filter chain, and every request no bean names is denied. Example:
 * <pre>{@code
 * routes -> routes.requestMatchers(HttpMethod.POST, "/v1/events").access(ApiRoutes.scope(Scope.EVENTS_WRITE))
 * }</pre>
 */
@FunctionalInterface
public interface ApiRoutes {
    /** The request attribute naming what the caller lacked, for the 403 answer. */
    String MISSING_RIGHT_ATTRIBUTE = ApiRoutes.class.getName() + ".missing";
    /**
     * Set by a route that knows its caller by other means than an API key (a console session): Spring Security sees
     * such a request as anonymous, but a refusal is then a 403 naming the missing right, not a 401 asking for a key.
     */
    String CALLER_KNOWN_ATTRIBUTE = ApiRoutes.class.getName() + ".callerKnown";

    void declare(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry routes);

    /** Allowed to API keys holding {@code scope} (the operator key holds every scope). */
    static AuthorizationManager<RequestAuthorizationContext> scope(Scope scope) {
        return (authentication, context) -> {
            boolean granted = authentication.get() instanceof ApiKeyAuthentication key && key.caller() != null
                    && key.caller().has(scope);
            if (!granted) {
                context.getRequest().setAttribute(MISSING_RIGHT_ATTRIBUTE, "the scope " + scope.id());
            }
            return new AuthorizationDecision(granted);
        };
    }

    /** Allowed to the operator's admin key only. */
    static AuthorizationManager<RequestAuthorizationContext> operator() {
        return (authentication, context) -> {
            boolean granted = authentication.get() instanceof ApiKeyAuthentication key && key.caller() != null
                    && key.caller().admin();
            if (!granted) {
                context.getRequest().setAttribute(MISSING_RIGHT_ATTRIBUTE, "the operator key");
            }
            return new AuthorizationDecision(granted);
        };
    }
}
