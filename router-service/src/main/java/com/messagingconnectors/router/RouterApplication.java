package com.messagingconnectors.router;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Reads platform.events, routes each event with the workspace's live configuration (toggles, rules, default
 * channels) and fans it out as notifications to the per-channel topics, exactly once.
 */
@SpringBootApplication
public class RouterApplication {

    public static void main(String[] args) {
        SpringApplication.run(RouterApplication.class, args);
    }
}
