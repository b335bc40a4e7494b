package com.messagingconnectors.webhook;

import com.messagingconnectors.delivery.DeadLetterConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/** Delivers notifications.webhook to customer HTTP endpoints. */
@SpringBootApplication
@EnableConfigurationProperties(WebhookProperties.class)
@Import(DeadLetterConfiguration.class)
public class WebhookSenderApplication {

    public static void main(String[] args) {
        SpringApplication.run(WebhookSenderApplication.class, args);
    }
}
