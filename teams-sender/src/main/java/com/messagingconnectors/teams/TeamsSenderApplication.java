package com.messagingconnectors.teams;

import com.messagingconnectors.config.secrets.SecretBox;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * teams-sender: delivers notifications.teams to Microsoft Graph or a Teams Workflows URL. The consuming, retrying and
 * dead-lettering is delivery-core's; this app contributes the {@link TeamsChannel} bean.
 */
@SpringBootApplication
@EnableConfigurationProperties(TeamsProperties.class)
public class TeamsSenderApplication {
    public static void main(String[] args) {
        SpringApplication.run(TeamsSenderApplication.class, args);
    }

    @Bean
    SecretBox secretBox(@Value("${connectors.secrets.keys}") String keys,
                        @Value("${connectors.secrets.active-key-id:}") String activeKeyId) {
        return SecretBox.fromConfig(keys, activeKeyId);
    }

    @Bean
    TeamsChannel teamsChannel(TeamsProperties properties, SecretBox secrets) {
        return new TeamsChannel(properties, secrets);
    }
}
