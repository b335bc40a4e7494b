package com.messagingconnectors.webhook;

import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretBoxConfiguration;
import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.config.ssrf.AddressPolicyConfiguration;
import com.messagingconnectors.delivery.http.GuardedHttpClient;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Delivers notifications.webhook to the customer endpoints configured on connectors.config: delivery-core's engine
 * does the consuming, retries, dead-lettering and status; this app only contributes the {@link WebhookChannel}.
 */
@SpringBootApplication
@Import({SecretBoxConfiguration.class, AddressPolicyConfiguration.class})
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookSenderApplication {

    public static void main(String[] args) {
        SpringApplication.run(WebhookSenderApplication.class, args);
    }

    /** delivery-core's guarded client: the only way this service reaches a customer URL. */
    @Bean(destroyMethod = "close")
    public GuardedHttpClient webhookHttpClient(WebhookProperties properties, AddressPolicy addressPolicy) {
        return GuardedHttpClient.create(addressPolicy, new GuardedHttpClient.Settings(properties.connectTimeout(),
                properties.requestTimeout(), properties.maxConnections(), "messaging-connectors-webhook/0.1"));
    }

    @Bean
    public WebhookChannel webhookChannel(GuardedHttpClient webhookHttpClient, SecretBox secretBox,
            ObjectProvider<Clock> clock) {
        return new WebhookChannel(webhookHttpClient, secretBox, clock.getIfAvailable(Clock::systemUTC));
    }
}
