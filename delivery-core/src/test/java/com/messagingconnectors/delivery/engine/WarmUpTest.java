package com.messagingconnectors.delivery.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.messagingconnectors.config.model.IntegrationKind;
import com.messagingconnectors.config.model.WebhookEndpointConfig;
import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.Rehearsal;
import com.messagingconnectors.delivery.http.GuardedHttpClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The warm-up against its real loopback sink: a channel that POSTs with delivery-core's guarded client, whose
 * rehearsal copy reaches only the sink. Counts what the sink answered, never what the production client would send.
 */
class WarmUpTest {
    static final GuardedHttpClient.Settings SETTINGS = new GuardedHttpClient.Settings(Duration.ofSeconds(2),
            Duration.ofSeconds(2), 4, "warm-up-test");

    /** POSTs to the channel's URL; its production client follows the public-only policy. */
    static class PostingChannel implements NotificationChannel {
        final GuardedHttpClient http;
        final AtomicInteger answered;
        final Duration pause;

        PostingChannel(GuardedHttpClient http, AtomicInteger answered, Duration pause) {
            this.http = http;
            this.answered = answered;
            this.pause = pause;
        }

        @Override
        public String name() {
            return "posting";
        }

        @Override
        public DeliveryOutcome deliver(DeliveryRequest request) {
            try {
                Thread.sleep(pause);
                GuardedHttpClient.Answer answer = http.postJson(URI.create(
                        ((WebhookEndpointConfig) request.channel()).url()), Map.of(), "{\"a\":1}".getBytes());
                answered.incrementAndGet();
                return answer.status() == 200 ? new DeliveryOutcome.Delivered()
                        : new DeliveryOutcome.Retryable(FailureReason.server, "HTTP " + answer.status(), null,
                                answer.status());
            } catch (GuardedHttpClient.NoAnswer e) {
                return e.outcome();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Optional<Rehearsal> rehearsal(URI sink) {
            return Optional.of(rehearsalTo(sink.toString()));
        }

        Rehearsal rehearsalTo(String url) {
            GuardedHttpClient copy = http.rehearsalCopy(URI.create(url.replaceFirst("/[^/]*$", "/")));
            WebhookEndpointConfig endpoint = new WebhookEndpointConfig("e0", "sink", url, null, null, Map.of(),
                    List.of(), true, Map.of(), null);
            return Rehearsal.of(new PostingChannel(copy, answered, pause), IntegrationKind.webhook, endpoint,
                    Map.of(), Map.of(), copy);
        }
    }

    @Test
    void rehearsesTheChannelAgainstItsOwnSinkAsOftenAsAsked() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        try (GuardedHttpClient production = GuardedHttpClient.create(AddressPolicy.PUBLIC_ONLY, SETTINGS)) {
            int delivered = WarmUp.run(new PostingChannel(production, answered, Duration.ZERO), 50,
                    Duration.ofSeconds(30));

            assertThat(delivered).isEqualTo(50);
            assertThat(answered).hasValue(50);
        }
    }

    @Test
    void stopsAtTheFirstRehearsalThatIsNotDelivered() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        try (GuardedHttpClient production = GuardedHttpClient.create(AddressPolicy.PUBLIC_ONLY, SETTINGS)) {
            // a rehearsal addressed to a closed port instead of the sink: no answer, so no delivery
            NotificationChannel misaddressed = new PostingChannel(production, answered, Duration.ZERO) {
                @Override
                public Optional<Rehearsal> rehearsal(URI sink) {
                    return Optional.of(rehearsalTo("http://127.0.0.1:" + (sink.getPort() == 1 ? 2 : 1) + "/x"));
                }
            };

            assertThat(WarmUp.run(misaddressed, 50, Duration.ofSeconds(30))).isZero();
            assertThat(answered).hasValue(0);
        }
    }

    @Test
    void stopsWhenItsTimeIsUp() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        try (GuardedHttpClient production = GuardedHttpClient.create(AddressPolicy.PUBLIC_ONLY, SETTINGS)) {
            int delivered = WarmUp.run(new PostingChannel(production, answered, Duration.ofMillis(50)), 10_000,
                    Duration.ofMillis(300));

            assertThat(delivered).isPositive().isLessThan(100);
        }
    }

    /** A channel the warm-up must never call for a real delivery. */
    static class ProductionOnly implements NotificationChannel {
        private final String name;

        ProductionOnly(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public DeliveryOutcome deliver(DeliveryRequest request) {
            throw new AssertionError("a warm-up must never call the production channel");
        }
    }

    @Test
    void aChannelWithoutRehearsalOrAFailingOneIsNotWarmedAndDoesNotFail() {
        NotificationChannel broken = new ProductionOnly("broken") {
            @Override
            public Optional<Rehearsal> rehearsal(URI sink) {
                throw new IllegalStateException("no rehearsal today");
            }
        };

        assertThat(WarmUp.run(new ProductionOnly("plain"), 50, Duration.ofSeconds(30))).isZero();
        assertThat(WarmUp.run(broken, 50, Duration.ofSeconds(30))).isZero();
    }
}
