package com.messagingconnectors.delivery.outcome;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The retry schedule as data: entry i is the delay before attempt i+1 (entry 0, "immediately", is the first attempt).
 * Attempt n (n ≥ 2) waits in retry topic {@code notifications.<channel>.retry-(n-1)}, one topic per step, so every
 * record in a retry topic waits about as long as the ones before it and a paused partition head is always the next
 * one due.
 */
public record RetrySchedule(List<Duration> delays, double jitter, Duration floor) {

    public int maxAttempts() {
        return delays.size();
    }

    public int retrySteps() {
        return delays.size() - 1;
    }

    public static String retryTopic(String mainTopic, int step) {
        return mainTopic + ".retry-" + step;
    }

    /**
     * The delay before {@code nextAttempt}: the scheduled one with jitter; a Retry-After is honoured but clamped
     * between the scheduled delay and twice it; 429 and timeouts never wait less than the floor.
     */
    public Duration delayBefore(int nextAttempt, Duration retryAfter, boolean floorApplies) {
        Duration scheduled = delays.get(Math.min(nextAttempt, delays.size()) - 1);
        Duration delay;
        if (retryAfter != null) {
            Duration twice = scheduled.multipliedBy(2);
            delay = retryAfter.compareTo(scheduled) < 0 ? scheduled : retryAfter.compareTo(twice) > 0 ? twice : retryAfter;
        } else {
            double factor = 1 + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-jitter, jitter));
            delay = Duration.ofMillis(Math.round(scheduled.toMillis() * factor));
        }
        if (floorApplies && delay.compareTo(floor) < 0) {
            delay = floor;
        }
        return delay;
    }

    /** The retry step whose delay is the longest not above {@code delay}: where a parked record waits. */
    public int stepFor(Duration delay) {
        int step = 1;
        for (int i = 1; i < delays.size(); i++) {
            if (delays.get(i).compareTo(delay) <= 0) {
                step = i;
            }
        }
        return step;
    }
}
