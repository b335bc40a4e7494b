package com.messagingconnectors.delivery.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import com.messagingconnectors.delivery.engine.DeliveryProperties;
import com.messagingconnectors.delivery.intake.PollLoop;
import com.messagingconnectors.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private final RetrySchedule svix = new RetrySchedule(DeliveryProperties.SVIX_SCHEDULE, 0.2, Duration.ofSeconds(1));
    private final RetrySchedule exact = new RetrySchedule(DeliveryProperties.SVIX_SCHEDULE, 0, Duration.ofSeconds(1));

    @Test
    void theDefaultIsSvixsScheduleWithEightAttemptsAndSevenRetryTopics() {
        assertThat(svix.maxAttempts()).isEqualTo(8);
        assertThat(svix.retrySteps()).isEqualTo(7);
        assertThat(RetrySchedule.retryTopic("notifications.webhook", 7)).isEqualTo("notifications.webhook.retry-7");
        assertThat(exact.delayBefore(2, null, false)).isEqualTo(Duration.ofSeconds(5));
        assertThat(exact.delayBefore(8, null, false)).isEqualTo(Duration.ofHours(10));
    }

    @Test
    void jitterStaysWithinTwentyPercent() {
        for (int i = 0; i < 200; i++) {
            assertThat(svix.delayBefore(3, null, false)).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));
        }
    }

    @Test
    void retryAfterIsClampedBetweenTheScheduledDelayAndTwiceIt() {
        assertThat(svix.delayBefore(2, Duration.ofSeconds(7), false)).isEqualTo(Duration.ofSeconds(7));
        assertThat(svix.delayBefore(2, Duration.ofSeconds(1), false)).isEqualTo(Duration.ofSeconds(5));
        assertThat(svix.delayBefore(2, Duration.ofHours(1), false)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void rateLimitsAndTimeoutsWaitAtLeastTheFloor() {
        RetrySchedule fast = new RetrySchedule(List.of(Duration.ZERO, Duration.ofMillis(10)), 0, Duration.ofSeconds(1));
        assertThat(fast.delayBefore(2, null, true)).isEqualTo(Duration.ofSeconds(1));
        assertThat(fast.delayBefore(2, null, false)).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void aParkedRecordWaitsInTheLongestStepNotAboveItsDelay() {
        assertThat(svix.stepFor(Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(svix.stepFor(Duration.ofMinutes(10))).isEqualTo(2);
        assertThat(svix.stepFor(Duration.ofDays(1))).isEqualTo(7);
        assertThat(svix.stepFor(Duration.ofMillis(1))).isEqualTo(1);
    }

    @Test
    void aRegistryOutageIsNotPoisonButAnUnknownSchemaIs() {
        assertThat(PollLoop.registryOutage(new SerializationException("x",
                new SchemaRegistryException("down", 0, 0)))).isTrue();
        assertThat(PollLoop.registryOutage(new SerializationException("x",
                new SchemaRegistryException("boom", 503, 50301)))).isTrue();
        assertThat(PollLoop.registryOutage(new SerializationException("x",
                new SchemaRegistryException("not found", 404, 40403)))).isFalse();
        assertThat(PollLoop.registryOutage(new SerializationException("unknown magic byte"))).isFalse();
    }
}
