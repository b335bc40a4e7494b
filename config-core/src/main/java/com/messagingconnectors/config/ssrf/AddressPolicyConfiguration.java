package com.messagingconnectors.config.ssrf;

import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link AddressPolicy} of a service that takes (integration-service) or calls (webhook-sender, teams-sender)
 * customer URLs: {@code @Import} it. Settings: {@code connectors.ssrf.allow} (non-public CIDRs that may be called,
 * comma separated; env {@code CONNECTORS_SSRF_ALLOW}), {@code connectors.ssrf.allowed-ports} (ports besides 80 and
 * 443; env {@code CONNECTORS_SSRF_ALLOWED_PORTS}) and {@code connectors.security.local-mode} (loopback on any port).
 */
@Configuration(proxyBeanMethods = false)
public class AddressPolicyConfiguration {

    @Bean
    AddressPolicy addressPolicy(@Value("${connectors.ssrf.allow:}") String allow,
                                @Value("${connectors.ssrf.allowed-ports:}") String allowedPorts,
                                @Value("${connectors.security.local-mode:false}") boolean localMode,
                                @Value("${connectors.webhook.ssrf.allow:#{null}}") String renamed) {
        if (renamed != null) {
            // silently ignoring it would refuse the endpoints an operator meant to allow
            throw new IllegalStateException("connectors.webhook.ssrf.allow (CONNECTORS_WEBHOOK_SSRF_ALLOW) was renamed"
                    + " to connectors.ssrf.allow (CONNECTORS_SSRF_ALLOW); it now applies to every customer URL. Local"
                    + " mode allows loopback without it.");
        }
        return new AddressPolicy(commaSeparated(allow), commaSeparated(allowedPorts), localMode);
    }

    // split here rather than by a conversion service, which not every context has
    private static List<String> commaSeparated(String value) {
        return Arrays.asList(value.split(","));
    }
}
