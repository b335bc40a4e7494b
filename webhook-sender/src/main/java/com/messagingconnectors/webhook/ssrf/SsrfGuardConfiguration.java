package com.messagingconnectors.webhook.ssrf;

import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link SsrfGuard} bean the webhook HTTP client resolves hosts with. {@code connectors.webhook.ssrf.allow} is a
 * comma-separated list of CIDRs (empty in production; the local stack and tests allow 127.0.0.1/32).
 */
@Configuration(proxyBeanMethods = false)
public class SsrfGuardConfiguration {

    @Bean
    public SsrfGuard ssrfGuard(@Value("${connectors.webhook.ssrf.allow:}") List<String> allow) {
        return new SsrfGuard(allow);
    }
}
