package com.messagingconnectors.slack;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** slack-sender: delivers notifications.slack to the Slack Web API; the channel arrives with the Slack issue. */
@SpringBootApplication
public class SlackSenderApplication {
    public static void main(String[] args) {
        SpringApplication.run(SlackSenderApplication.class, args);
    }
}
