package com.messagingconnectors.delivery.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import com.messagingconnectors.delivery.RateLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final TestClock clock = new TestClock();

    @Test
    void aBurstGoesAtOnceThenPermitsComeAtTheSustainedRate() {
        TokenBucket bucket = new TokenBucket(new RateLimit(1.0, 2), clock);

        assertThat(bucket.take()).isZero();
        assertThat(bucket.take()).isZero();
        assertThat(bucket.take()).isEqualTo(Duration.ofSeconds(1));
        assertThat(bucket.take()).isEqualTo(Duration.ofSeconds(2)); // callers queue up behind each other

        clock.advance(Duration.ofSeconds(2));
        assertThat(bucket.take()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anIdleBucketRefillsOnlyUpToItsBurst() {
        TokenBucket bucket = new TokenBucket(new RateLimit(2.0, 1), clock);
        assertThat(bucket.take()).isZero();

        clock.advance(Duration.ofHours(1));

        assertThat(bucket.take()).isZero();
        assertThat(bucket.take()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void noLimitNeverWaits() {
        TokenBucket bucket = new TokenBucket(RateLimit.NONE, clock);
        for (int i = 0; i < 10_000; i++) {
            assertThat(bucket.take()).isZero();
        }
    }
}
