package com.messagingconnectors.router;

import com.messagingconnectors.delivery.DeadLetterConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/** Reads platform.events and fans each event out as notifications to the per-channel topics. */
@SpringBootApplication
@EnableConfigurationProperties(StaticRouteProperties.class)
@Import(DeadLetterConfiguration.class)
public class RouterApplication {

    public static void main(String[] args) {
        SpringApplication.run(RouterApplication.class, args);
    }
}
