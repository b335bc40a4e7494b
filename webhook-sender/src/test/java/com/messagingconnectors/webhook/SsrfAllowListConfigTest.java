package com.messagingconnectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.messagingconnectors.config.ssrf.BlockedAddressException;
import com.messagingconnectors.webhook.ssrf.SsrfGuard;
import com.messagingconnectors.webhook.ssrf.SsrfGuardConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** application.yml's allow-list: empty in production, 127.0.0.1 in local mode (the local stack). */
class SsrfAllowListConfigTest {

    @Nested
    @SpringBootTest(classes = SsrfGuardConfiguration.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
            properties = "CONNECTORS_LOCAL_MODE=true")
    class LocalMode {
        @Autowired
        SsrfGuard guard;

        @Test
        void loopbackIsAllowed() throws Exception {
            assertThat(guard.resolve("127.0.0.1")).isNotEmpty();
        }
    }

    @Nested
    @SpringBootTest(classes = SsrfGuardConfiguration.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
    class Production {
        @Autowired
        SsrfGuard guard;

        @Test
        void loopbackIsRefused() {
            assertThatThrownBy(() -> guard.resolve("127.0.0.1")).isInstanceOf(BlockedAddressException.class);
        }
    }
}
