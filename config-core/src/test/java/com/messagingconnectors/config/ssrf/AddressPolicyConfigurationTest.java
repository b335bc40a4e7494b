package com.messagingconnectors.config.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The one policy bean, from connectors.ssrf.* and connectors.security.local-mode. */
class AddressPolicyConfigurationTest {
    final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(AddressPolicyConfiguration.class);

    @Test
    void withoutSettingsOnlyPublicAddressesOn80And443() {
        context.run(c -> {
            AddressPolicy policy = c.getBean(AddressPolicy.class);
            assertThatThrownBy(() -> policy.check("h", 443, loopback())).isInstanceOf(BlockedAddressException.class);
            assertThatThrownBy(() -> policy.check("h", 8443, public1())).isInstanceOf(BlockedAddressException.class);
            assertThat(policy.check("h", 443, public1())).hasSize(1);
        });
    }

    @Test
    void localModeAllowsLoopbackOnAnyPort() {
        context.withPropertyValues("connectors.security.local-mode=true").run(c ->
                assertThat(c.getBean(AddressPolicy.class).check("h", 8099, loopback())).hasSize(1));
    }

    @Test
    void allowListAndPortsAreCommaSeparated() {
        context.withPropertyValues("connectors.ssrf.allow=10.1.0.0/16, fd00::/8", "connectors.ssrf.allowed-ports=8443,9443")
                .run(c -> {
                    AddressPolicy policy = c.getBean(AddressPolicy.class);
                    assertThat(policy.check("h", 9443, new InetAddress[] {InetAddress.getByName("10.1.2.3")}))
                            .hasSize(1);
                    assertThat(policy.check("h", 8443, new InetAddress[] {InetAddress.getByName("fd00::1")}))
                            .hasSize(1);
                });
    }

    @Test
    void theFormerWebhookOnlySettingStopsTheStartNamingItsReplacement() {
        context.withPropertyValues("connectors.webhook.ssrf.allow=10.0.0.0/8").run(c ->
                assertThat(c.getStartupFailure()).rootCause()
                        .hasMessageContaining("was renamed to connectors.ssrf.allow (CONNECTORS_SSRF_ALLOW)"));
    }

    private static InetAddress[] loopback() {
        return new InetAddress[] {InetAddress.getLoopbackAddress()};
    }

    private static InetAddress[] public1() throws Exception {
        return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
    }
}
