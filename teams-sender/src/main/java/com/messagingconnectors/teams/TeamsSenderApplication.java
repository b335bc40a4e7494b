package com.messagingconnectors.teams;

import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretBoxConfiguration;
import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.config.ssrf.AddressPolicyConfiguration;
import com.messagingconnectors.delivery.http.GuardedHttpClient;
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
@Import({SecretBoxConfiguration.class, AddressPolicyConfiguration.class})
@EnableConfigurationProperties(TeamsProperties.class)
public class TeamsSenderApplication {
    public static void main(String[] args) {
        SpringApplication.run(TeamsSenderApplication.class, args);
    }

    /** delivery-core's guarded client for the customers' Workflows URLs. */
    @Bean(destroyMethod = "close")
    GuardedHttpClient workflowHttpClient(TeamsProperties properties, AddressPolicy addressPolicy) {
        return GuardedHttpClient.create(addressPolicy, TeamsChannel.workflowClientSettings(properties));
    }

    @Bean
    TeamsChannel teamsChannel(TeamsProperties properties, SecretBox secrets, GuardedHttpClient workflowHttpClient) {
        return new TeamsChannel(properties, secrets, workflowHttpClient);
    }
}
