package com.messagingconnectors.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where registry credentials come from: the client's settings first, then the environment; errors without values. */
class RegistrySecurityTest {

    @Test
    void environmentVariablesFollowConfluentsSettingNames() {
        assertThat(RegistrySecurity.environmentVariable("basic.auth.user.info"))
                .isEqualTo("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO");
        assertThat(RegistrySecurity.environmentVariable("schema.registry.ssl.truststore.location"))
                .isEqualTo("SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION");
    }

    @Test
    void basicFromTheEnvironmentBearerFromTheConfigurationWhichWins() {
        RegistrySecurity basic = RegistrySecurity.from(Map.of(),
                Map.of("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "svc:pw"));
        assertThat(basic.authorization()).hasValue("Basic c3ZjOnB3");
        RegistrySecurity bearer = RegistrySecurity.from(Map.of("bearer.auth.token", "tok"), Map.of());
        assertThat(bearer.authorization()).hasValue("Bearer tok");
        RegistrySecurity configuredWins = RegistrySecurity.from(Map.of("basic.auth.user.info", "mine:pw2"),
                Map.of("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "svc:pw"));
        assertThat(configuredWins.authorization()).hasValue("Basic bWluZTpwdzI=");
        assertThat(RegistrySecurity.from(Map.of(), Map.of()).authorization()).isEmpty();
    }

    @Test
    void mistakesAreNamedWithoutTheirValues() {
        assertThatThrownBy(() -> RegistrySecurity.from(Map.of(), Map.of(
                "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "svc:pw9", "SCHEMA_REGISTRY_BEARER_AUTH_TOKEN", "xq7z")))
                .hasMessageContaining("both basic.auth.user.info (SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO) and "
                        + "bearer.auth.token (SCHEMA_REGISTRY_BEARER_AUTH_TOKEN) are set")
                .hasMessageNotContaining("xq7z").hasMessageNotContaining("pw9");
        assertThatThrownBy(() -> RegistrySecurity.from(Map.of(), Map.of("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO",
                "justapassword"))).hasMessage("basic.auth.user.info (SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO) must be "
                + "user:password");
        assertThatThrownBy(() -> RegistrySecurity.from(Map.of(), Map.of("SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION",
                "/nonexistent/trust.p12", "SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD", "pw123")))
                .hasMessageContaining("SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION")
                .hasMessageNotContaining("pw123");
    }

    @Test
    void credentialsInTheUrlAreUsedAndLeftOutOfTheUrlTheClientShows() {
        SchemaRegistryClient client = new SchemaRegistryClient("https://svc:p%40ss@registry.example:8081/",
                SchemaRegistryClient.DEFAULT_TIMEOUT, RegistrySecurity.NONE);
        assertThat(client.baseUrl()).isEqualTo("https://registry.example:8081");
        assertThat(new SchemaRegistryClient("https://svc:p%40ss@registry.example:8081",
                SchemaRegistryClient.DEFAULT_TIMEOUT, RegistrySecurity.NONE).security().authorization())
                .hasValue("Basic c3ZjOnBAc3M="); // svc:p@ss
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SchemaRegistryClient("http://svc:a b@host",
                SchemaRegistryClient.DEFAULT_TIMEOUT, RegistrySecurity.NONE)).hasMessageNotContaining("a b");
    }
}
