package com.messagingconnectors.webhook;

import com.messagingconnectors.config.secrets.SecretBox;
import com.messagingconnectors.config.secrets.SecretBoxConfiguration;
import com.messagingconnectors.webhook.ssrf.SsrfGuard;
import java.time.Clock;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
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
@Import(SecretBoxConfiguration.class)
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookSenderApplication {

    public static void main(String[] args) {
        SpringApplication.run(WebhookSenderApplication.class, args);
    }

    /**
     * Apache HttpClient 5: the SSRF guard resolves every host (and the connection goes to the address it checked),
     * redirects are never followed, no automatic retries (delivery-core retries on its schedule).
     */
    @Bean(destroyMethod = "close")
    public CloseableHttpClient webhookHttpClient(WebhookProperties properties, SsrfGuard ssrfGuard) {
        Timeout connect = Timeout.of(properties.connectTimeout());
        Timeout response = Timeout.of(properties.requestTimeout());
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(ssrfGuard)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect)
                                .setSocketTimeout(response).build())
                        .setMaxConnTotal(properties.maxConnections())
                        .setMaxConnPerRoute(properties.maxConnections())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(response)
                        .setRedirectsEnabled(false).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .setUserAgent("messaging-connectors-webhook/0.1")
                .build();
    }

    @Bean
    public WebhookChannel webhookChannel(CloseableHttpClient webhookHttpClient, SecretBox secretBox,
            WebhookProperties properties, ObjectProvider<Clock> clock) {
        return new WebhookChannel(webhookHttpClient, secretBox, properties.requestTimeout(),
                clock.getIfAvailable(Clock::systemUTC));
    }
}
