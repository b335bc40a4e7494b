package com.messagingconnectors.googlechat;

import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretBoxConfiguration;
import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.config.ssrf.AddressPolicyConfiguration;
import com.messagingconnectors.delivery.http.GuardedHttpClient;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * googlechat-sender: delivers notifications.googlechat to Google Chat spaces' incoming webhooks. The consuming,
 * pacing, retrying and dead-lettering is delivery-core's; this app contributes the {@link GoogleChatChannel}.
 */
@SpringBootApplication
@Import({SecretBoxConfiguration.class, AddressPolicyConfiguration.class})
@EnableConfigurationProperties(GoogleChatProperties.class)
public class GoogleChatSenderApplication {

    public static void main(String[] args) {
        SpringApplication.run(GoogleChatSenderApplication.class, args);
    }

    /** delivery-core's guarded client: a space's webhook URL is stored by a customer, so it goes through the guard. */
    @Bean(destroyMethod = "close")
    GuardedHttpClient googleChatHttpClient(GoogleChatProperties properties, AddressPolicy addressPolicy) {
        return GuardedHttpClient.create(addressPolicy, GoogleChatChannel.clientSettings(properties));
    }

    @Bean
    GoogleChatChannel googleChatChannel(GoogleChatProperties properties, GuardedHttpClient googleChatHttpClient,
            SecretBox secretBox, @Value("${connectors.security.local-mode:false}") boolean localMode,
            ObjectProvider<Clock> clock) {
        return new GoogleChatChannel(properties, googleChatHttpClient, secretBox, localMode,
                clock.getIfAvailable(Clock::systemUTC));
    }
}
