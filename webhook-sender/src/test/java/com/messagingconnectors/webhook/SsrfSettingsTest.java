package com.messagingconnectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.config.ssrf.AddressPolicyConfiguration;
import com.messagingconnectors.config.ssrf.BlockedAddressException;
import java.net.InetAddress;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** application.yml's SSRF settings: the environment variables the local stack and deployments set. */
class SsrfSettingsTest {
    static final InetAddress[] LOOPBACK = {InetAddress.getLoopbackAddress()};

    @Nested
    @SpringBootTest(classes = AddressPolicyConfiguration.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
            properties = "CONNECTORS_LOCAL_MODE=true")
    class LocalStack {
        @Autowired
        AddressPolicy policy;

        @Test
        void loopbackIsAllowedOnAnyPort() throws Exception {
            assertThat(policy.check("127.0.0.1", 8099, LOOPBACK)).isNotEmpty();
        }
    }

    @Nested
    @SpringBootTest(classes = AddressPolicyConfiguration.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
            properties = {"CONNECTORS_SSRF_ALLOW=127.0.0.1/32", "CONNECTORS_SSRF_ALLOWED_PORTS=8099"})
    class Deployment {
        @Autowired
        AddressPolicy policy;

        @Test
        void theAllowListAndPortsComeFromTheEnvironment() throws Exception {
            assertThat(policy.check("127.0.0.1", 8099, LOOPBACK)).isNotEmpty();
            assertThatThrownBy(() -> policy.check("127.0.0.1", 8100, LOOPBACK))
                    .isInstanceOf(BlockedAddressException.class);
        }
    }

    @Nested
    @SpringBootTest(classes = AddressPolicyConfiguration.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
    class Production {
        @Autowired
        AddressPolicy policy;

        @Test
        void loopbackIsRefused() {
            assertThatThrownBy(() -> policy.check("127.0.0.1", 443, LOOPBACK))
                    .isInstanceOf(BlockedAddressException.class);
        }
    }
}
