package com.messagingconnectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.Rehearsal;
import com.messagingconnectors.delivery.http.GuardedHttpClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook channel's warm-up rehearsal, against a real receiver on loopback standing in for the engine's sink: the
 * copy sends a signed delivery with a sealed custom header, the way a customer's endpoint gets one, while the
 * production channel (public addresses only) still refuses the very same loopback URL.
 */
class WebhookRehearsalTest {
    private Receiver sink;
    private GuardedHttpClient production;

    @BeforeEach
    void start() throws Exception {
        sink = new Receiver();
        production = GuardedHttpClient.create(AddressPolicy.PUBLIC_ONLY, new GuardedHttpClient.Settings(
                Duration.ofSeconds(2), Duration.ofSeconds(2), 4, "webhook-test"));
    }

    @AfterEach
    void stop() throws Exception {
        production.close();
        sink.close();
    }

    @Test
    void theRehearsalIsASignedDeliveryToTheSinkOnly() throws Exception {
        WebhookChannel channel = new WebhookChannel(production, DeliveryFixture.SECRETS, Clock.systemUTC());

        try (Rehearsal rehearsal = channel.rehearsal(URI.create(sink.url("/ok/sink"))).orElseThrow()) {
            assertThat(rehearsal.channel().deliver(rehearsal.request())).isInstanceOf(DeliveryOutcome.Delivered.class);
            assertThat(rehearsal.request().notification().getEvent().getWorkspaceId()).isEqualTo(Rehearsal.WORKSPACE);

            assertThat(sink.requests).hasSize(1);
            Receiver.Request request = sink.requests.getFirst();
            assertThat(request.path()).isEqualTo("/ok/sink");
            assertThat(request.header("webhook-id")).isEqualTo(rehearsal.request().notification().getNotificationId());
            assertThat(request.header("webhook-signature")).startsWith("v1,");
            assertThat(request.header("X-Rehearsal")).isEqualTo("1");
            assertThat(request.body()).contains("\"type\":\"report.completed\"");

            // the channel the engine delivers real notifications with is not the copy: loopback stays refused
            assertThat(channel.deliver(rehearsal.request())).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class,
                    p -> assertThat(p.reason()).isEqualTo(DeliveryOutcome.FailureReason.invalid));
            assertThat(sink.requests).hasSize(1);
        }
    }
}
