package com.messagingconnectors.config.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code /v1/} call is authenticated (probes, metrics and API docs are not under /v1). A path naming a workspace
 * ({@code /v1/workspaces/{id}/…}) is only open to that workspace's keys and the admin key; bodies naming a workspace
 * (ingest) are checked by the endpoint with {@link Caller#mayAccess}.
 */
public final class ApiKeyAuthFilter extends OncePerRequestFilter {
    private static final Pattern WORKSPACE_PATH = Pattern.compile("^/v1/workspaces/([^/:]+)");
    private final ApiKeyAuthenticator authenticator;

    public ApiKeyAuthFilter(ApiKeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller = authenticator.authenticate(request.getHeader("Authorization"));
        if (caller.isEmpty() && !authenticator.ready() && request.getHeader("Authorization") != null) {
            response.setHeader("Retry-After", "5");
            problem(response, 503, "Service Unavailable", "API keys are still being loaded from Kafka; try again");
            return;
        }
        if (caller.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer");
            problem(response, 401, "Unauthorized", request.getHeader("Authorization") == null
                    ? "this API needs an API key: send 'Authorization: Bearer <key>'"
                    : "the API key is unknown or revoked");
            return;
        }
        Matcher workspace = WORKSPACE_PATH.matcher(request.getRequestURI());
        if (workspace.find() && !caller.get().mayAccess(workspace.group(1))) {
            problem(response, 403, "Forbidden", "this API key belongs to workspace " + caller.get().workspaceId()
                    + " and cannot act on workspace " + workspace.group(1));
            return;
        }
        request.setAttribute(Caller.REQUEST_ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }

    private static void problem(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }
}
