package com.messagingconnectors.config.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Reads {@code Authorization: Bearer <key>} inside Spring Security's chain. A request without the header goes on
 * anonymously (the route rules then answer 401 where a key is needed); a presented key that is unknown or revoked is
 * refused at once with 401, or 503 while the live config (where workspace keys live) is still loading. Whether the
 * caller may use the matched route is decided later, by the route rules and the workspace check.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {
    private final ApiKeyAuthenticator authenticator;

    ApiKeyAuthenticationFilter(ApiKeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        try {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new org.springframework.security.authentication.BadCredentialsException("not a bearer key");
            }
            ApiKeyAuthentication authenticated = (ApiKeyAuthentication) authenticator.authenticate(
                    ApiKeyAuthentication.unauthenticated(header.substring(7).trim()));
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(authenticated);
            SecurityContextHolder.setContext(context);
            request.setAttribute(Caller.REQUEST_ATTRIBUTE, authenticated.caller());
        } catch (AuthenticationException refused) {
            if (!authenticator.ready()) {
                response.setHeader(HttpHeaders.RETRY_AFTER, "5");
                Problems.write(response, 503, "Service Unavailable",
                        "API keys are still being loaded from Kafka; try again");
                return;
            }
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            Problems.write(response, 401, "Unauthorized", "the API key is unknown or revoked");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
