package com.messagingconnectors.integration;

import com.messagingconnectors.config.auth.ApiRoutes;
import com.messagingconnectors.config.auth.Scope;
import com.messagingconnectors.integration.console.ConsoleAccess;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * Who may call which route of the control plane (config-core's shared API security, docs/decisions/0017). A route
 * missing here is denied; the {@code {workspaceId}} of every matched handler is checked against the caller's
 * workspace on top of this.
 */
@Component
class IntegrationServiceRoutes implements ApiRoutes {
    private static final String INTEGRATIONS = "/v1/workspaces/*/integrations";
    private static final String API_KEYS = "/v1/workspaces/*/api-keys";

    private final ConsoleAccess console;

    IntegrationServiceRoutes(ConsoleAccess console) {
        this.console = console;
    }

    @Override
    public void declare(org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer<
            org.springframework.security.config.annotation.web.builders.HttpSecurity>
                                .AuthorizationManagerRequestMatcherRegistry routes) {
        routes.requestMatchers(HttpMethod.POST, "/v1/workspaces/*/routing:preview")
                .access(ApiRoutes.scope(Scope.INTEGRATIONS_READ));
        routes.requestMatchers(HttpMethod.GET, INTEGRATIONS, INTEGRATIONS + "/**")
                .access(ApiRoutes.scope(Scope.INTEGRATIONS_READ));
        for (HttpMethod write : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE}) {
            routes.requestMatchers(write, INTEGRATIONS, INTEGRATIONS + "/**")
                    .access(ApiRoutes.scope(Scope.INTEGRATIONS_WRITE));
        }
        routes.requestMatchers(API_KEYS, API_KEYS + "/**").access(ApiRoutes.scope(Scope.KEYS_MANAGE));
        routes.requestMatchers("/admin/**").access(ApiRoutes.operator());
        // these authenticate themselves: Slack's request signature; the connect flows' single-use state and
        // browser binding; the console login form
        routes.requestMatchers(HttpMethod.POST, "/slack/events").permitAll();
        routes.requestMatchers(HttpMethod.GET, "/oauth/slack/start", "/oauth/slack/callback",
                "/oauth/microsoft/start", "/oauth/microsoft/callback").permitAll();
        routes.requestMatchers("/console/login", "/console/logout").permitAll();
        // the admin console: its own stylesheet and script and the htmx WebJar, all from this jar; its pages and
        // changes for a console session (changes with the session's CSRF token), the operator's for the operator's
        routes.requestMatchers(HttpMethod.GET, "/console/assets/**", "/webjars/htmx.org/**").permitAll();
        routes.requestMatchers("/console/operator", "/console/operator/**").access(console.operator());
        routes.requestMatchers("/console/api-keys", "/console/api-keys/**").access(console.signedIn(Scope.KEYS_MANAGE));
        routes.requestMatchers(HttpMethod.GET, "/console", "/console/**")
                .access(console.signedIn(Scope.INTEGRATIONS_READ));
        routes.requestMatchers(HttpMethod.POST, "/console/preview").access(console.signedIn(Scope.INTEGRATIONS_READ));
        routes.requestMatchers(HttpMethod.POST, "/console/**").access(console.signedIn(Scope.INTEGRATIONS_WRITE));
        // the API description is public documentation
        routes.requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
                "/swagger-ui/**").permitAll();
    }
}
