package com.messagingconnectors.teams;

import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretBoxConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * teams-sender: delivers notifications.teams to Microsoft Graph or a Teams Workflows URL. The consuming, retrying and
 * dead-lettering is delivery-core's; this app contributes the {@link TeamsChannel} bean.
 */
@SpringBootApplication
@Import(SecretBoxConfiguration.class)
@EnableConfigurationProperties(TeamsProperties.class)
public class TeamsSenderApplication {
    public static void main(String[] args) {
        SpringApplication.run(TeamsSenderApplication.class, args);
    }

    @Bean
    TeamsChannel teamsChannel(TeamsProperties properties, SecretBox secrets) {
        return new TeamsChannel(properties, secrets);
    }
}
