package com.messagingconnectors.config.secrets;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link SecretBox} of every service that seals or opens secrets (integration-service seals, the senders open):
 * {@code @Import} it. Settings: {@code connectors.secrets.keys} ({@code keyId:base64(32 bytes)}, comma separated, the
 * same value everywhere; env {@code CONNECTORS_SECRETS_KEYS}) and {@code connectors.secrets.active-key-id} (default:
 * the first key). A missing key fails the start with a message that says what to set.
 */
@Configuration(proxyBeanMethods = false)
public class SecretBoxConfiguration {

    @Bean
    SecretBox secretBox(@Value("${connectors.secrets.keys:}") String keys,
                        @Value("${connectors.secrets.active-key-id:}") String activeKeyId) {
        return SecretBox.fromConfig(keys, activeKeyId);
    }
}
