package com.messagingconnectors.config.auth;

import com.messagingconnectors.config.store.ConfigView;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The one security mechanism of every HTTP service (docs/decisions/0017): Spring Security's filter chain with the
 * framework's own request matchers, deny by default.
 * <ul>
 * <li>{@link ApiFirewall} refuses ambiguous paths with 400 before anything else looks at them;</li>
 * <li>{@link ApiKeyAuthenticationFilter} turns a bearer key into a {@link Caller};</li>
 * <li>each service's {@link ApiRoutes} beans say which routes exist and what they need (scopes, operator, open);
 * probes and metrics are open; every other request is denied (a new controller is closed until a route names it);</li>
 * <li>{@link WorkspaceAccessInterceptor} checks the {@code {workspaceId}} the handler actually matched.</li>
 * </ul>
 * Settings: {@code connectors.security.admin-api-key}, {@code local-mode}, {@code dev-api-key},
 * {@code dev-workspace-id}. Workspace keys are read from the application's {@link ConfigView} bean, if it has one.
 */
@AutoConfiguration(beforeName = {"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(HttpSecurity.class)
@EnableWebSecurity
public class ApiSecurityAutoConfiguration {

    @Bean
    ApiKeyAuthenticator apiKeyAuthenticator(ObjectProvider<ConfigView> view,
                                            @Value("${connectors.security.admin-api-key:${CONNECTORS_ADMIN_API_KEY:}}") String adminKey,
                                            @Value("${connectors.security.local-mode:false}") boolean localMode,
                                            @Value("${connectors.security.dev-api-key:}") String devKey,
                                            @Value("${connectors.security.dev-workspace-id:}") String devWorkspace) {
        return new ApiKeyAuthenticator(view.getIfAvailable(), adminKey, localMode, devKey, devWorkspace);
    }

    /**
     * No Micrometer observation around each security filter, the chain and the authorization decision: on a single
     * event POST to ingest they cost about a sixth of its CPU (bench/README.md, "Single-event ingest: profile"). The
     * HTTP server observation (http.server.requests, and its span continuing the caller's trace) is kept.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain connectorsSecurityFilterChain(HttpSecurity http, ApiKeyAuthenticator authenticator,
                                                      ObjectProvider<ApiRoutes> serviceRoutes) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable) // no cookie authenticates an API call: keys travel in a header
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiKeyAuthenticationFilter(authenticator), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, refused) -> {
                            Object missing = request.getAttribute(ApiRoutes.MISSING_RIGHT_ATTRIBUTE);
                            if (request.getAttribute(ApiRoutes.CALLER_KNOWN_ATTRIBUTE) != null && missing != null) {
                                Problems.write(response, 403, "Forbidden", "this needs " + missing);
                                return;
                            }
                            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
                            Problems.write(response, 401, "Unauthorized",
                                    "this API needs an API key: send 'Authorization: Bearer <key>'");
                        })
                        .accessDeniedHandler((request, response, denied) -> {
                            Object missing = request.getAttribute(ApiRoutes.MISSING_RIGHT_ATTRIBUTE);
                            Problems.write(response, 403, "Forbidden", missing == null
                                    ? "this service has no route " + request.getMethod() + " " + request.getRequestURI()
                                            + " open to API keys"
                                    : "this call needs " + missing + ", which this API key does not have");
                        }))
                .authorizeHttpRequests(routes -> {
                    // Spring's own error page rendering of an answer already decided (e.g. a 400 from the container)
                    routes.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    routes.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**",
                            "/actuator/info", "/actuator/prometheus").permitAll();
                    serviceRoutes.orderedStream().forEach(r -> r.declare(routes));
                    routes.anyRequest().denyAll();
                });
        return http.build();
    }

    @Bean
    WebSecurityCustomizer connectorsFirewall() {
        RequestRejectedHandler rejected = (request, response, e) -> Problems.write(response, 400, "Bad Request",
                "the request path is ambiguous (path parameters, encoded characters, '//' or '..' segments): "
                        + "send the plain path");
        return web -> web.httpFirewall(new ApiFirewall()).requestRejectedHandler(rejected);
    }

    @Bean
    WebMvcConfigurer workspaceAccessCheck() {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new WorkspaceAccessInterceptor());
            }
        };
    }
}
