package com.messagingconnectors.teams;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** teams-sender: delivers notifications.teams to Microsoft Graph / Teams Workflows; the channel arrives with the Teams issue. */
@SpringBootApplication
public class TeamsSenderApplication {
    public static void main(String[] args) {
        SpringApplication.run(TeamsSenderApplication.class, args);
    }
}
