package com.messagingconnectors.delivery.lanes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryRequest;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.RateLimit;
import com.messagingconnectors.delivery.intake.OffsetTracker;
import com.messagingconnectors.delivery.intake.Taken;
import com.messagingconnectors.delivery.metrics.DeliveryMetrics;
import com.messagingconnectors.delivery.outcome.RetryState;
import com.messagingconnectors.schemas.avro.Destination;
import com.messagingconnectors.schemas.avro.GenericPayload;
import com.messagingconnectors.schemas.avro.Notification;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Lanes with a fake channel and a hand-moved clock: isolation, concurrency, queueing, parking, the circuit. */
class LanesTest {
    private static final Duration OPEN_FOR = Duration.ofSeconds(30);
    private static final Duration BUSY_PARK = Duration.ofSeconds(5);

    private final TestClock clock = new TestClock();
    private final OffsetTracker tracker = new OffsetTracker();
    private final List<String> parked = new CopyOnWriteArrayList<>();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<String> failed = new CopyOnWriteArrayList<>();
    private long offset;

    /** A channel whose answer per destination the test decides; it counts how many attempts run at once. */
    private static final class FakeChannel implements NotificationChannel {
        final Function<DeliveryRequest, DeliveryOutcome> answer;
        final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        final Map<String, Integer> mostAtOnce = new ConcurrentHashMap<>();

        FakeChannel(Function<DeliveryRequest, DeliveryOutcome> answer) {
            this.answer = answer;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public DeliveryOutcome deliver(DeliveryRequest request) {
            String destination = request.notification().getDestination().getDestinationId();
            int now = running.computeIfAbsent(destination, d -> new AtomicInteger()).incrementAndGet();
            mostAtOnce.merge(destination, now, Math::max);
            try {
                return answer.apply(request);
            } finally {
                running.get(destination).decrementAndGet();
            }
        }
    }

    private Lanes lanes(FakeChannel channel, int concurrency, int queueCapacity, int failureThreshold) {
        return lanes(channel, concurrency, queueCapacity, failureThreshold, RateLimit.NONE);
    }

    private Lanes lanes(FakeChannel channel, int concurrency, int queueCapacity, int failureThreshold,
                        RateLimit rateLimit) {
        Lanes lanes = new Lanes(new Lanes.Settings(concurrency, queueCapacity, failureThreshold, OPEN_FOR,
                Duration.ofDays(5), BUSY_PARK), rateLimit, clock,
                new DeliveryMetrics(new SimpleMeterRegistry(), "fake"),
                (work, delay, why) -> parked.add(work.notification().getNotificationId() + " for " + delay));
        lanes.runAttemptsWith(work -> {
            lanes.awaitPermit(work.destinationId());
            DeliveryOutcome outcome = channel.deliver(new DeliveryRequest(work.notification(), null, null,
                    work.state().attempt(), false));
            String id = work.notification().getNotificationId();
            if (outcome instanceof DeliveryOutcome.Delivered) {
                lanes.succeeded(work.destinationId());
                delivered.add(id);
            } else {
                lanes.failed(work.destinationId(), clock.instant());
                failed.add(id);
            }
            work.done();
        }, error -> { });
        return lanes;
    }

    @Test
    void aDestinationGetsAtMostItsConcurrencyAndKeepsItsOrderWhileOthersGoOn() throws Exception {
        CountDownLatch slowReleased = new CountDownLatch(1);
        FakeChannel channel = new FakeChannel(request -> {
            if (request.notification().getDestination().getDestinationId().equals("int/slow")) {
                waitFor(slowReleased);
            }
            return new DeliveryOutcome.Delivered();
        });
        Lanes lanes = lanes(channel, 1, 100, 5);

        for (int i = 1; i <= 3; i++) {
            lanes.submit(taken("slow-" + i, "int/slow"));
        }
        lanes.submit(taken("healthy-1", "int/healthy"));

        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("healthy-1"));
        assertThat(delivered).doesNotContain("slow-1", "slow-2", "slow-3");

        slowReleased.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 4);
        assertThat(delivered.stream().filter(id -> id.startsWith("slow")).toList())
                .containsExactly("slow-1", "slow-2", "slow-3");
        assertThat(channel.mostAtOnce.get("int/slow")).isEqualTo(1);
        assertThat(parked).isEmpty();
    }

    @Test
    void aFullLaneParksWhatItCannotQueue() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        Lanes lanes = lanes(new FakeChannel(request -> {
            waitFor(released);
            return new DeliveryOutcome.Delivered();
        }), 1, 1, 5);

        lanes.submit(taken("first", "int/busy"));   // in flight
        lanes.submit(taken("second", "int/busy"));  // queued
        lanes.submit(taken("third", "int/busy"));   // no room: parked

        assertThat(parked).containsExactly("third for " + BUSY_PARK);
        released.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 2);
        assertThat(delivered).containsExactly("first", "second");
    }

    @Test
    void repeatedFailuresOpenTheCircuitWhichParksTheDestinationUntilItCloses() {
        Lanes lanes = lanes(new FakeChannel(request ->
                request.notification().getDestination().getDestinationId().equals("int/broken")
                        ? new DeliveryOutcome.Retryable(FailureReason.server, "HTTP 503", null, 503)
                        : new DeliveryOutcome.Delivered()), 1, 100, 2);

        lanes.submit(taken("broken-1", "int/broken"));
        await().atMost(Duration.ofSeconds(10)).until(() -> failed.size() == 1);
        lanes.submit(taken("broken-2", "int/broken"));
        await().atMost(Duration.ofSeconds(10)).until(() -> failed.size() == 2);

        lanes.submit(taken("broken-3", "int/broken"));
        lanes.submit(taken("fine-1", "int/fine"));

        assertThat(parked).containsExactly("broken-3 for " + OPEN_FOR);
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("fine-1"));

        clock.advance(OPEN_FOR);
        lanes.submit(taken("broken-4", "int/broken"));
        await().atMost(Duration.ofSeconds(10)).until(() -> failed.contains("broken-4"));
    }

    @Test
    void queuedRecordsOfARevokedPartitionAreNotStarted() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        Lanes lanes = lanes(new FakeChannel(request -> {
            waitFor(released);
            return new DeliveryOutcome.Delivered();
        }), 1, 10, 5);
        lanes.submit(taken("running", "int/a"));
        lanes.submit(taken("queued", "int/a"));

        tracker.forget(new org.apache.kafka.common.TopicPartition("notifications.fake", 0));
        released.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("running"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> delivered.size() == 1);
    }

    @Test
    void aDestinationsRateLimitHoldsAcrossAnIdleGap() {
        // one message a second, burst 1 (Google Chat's pace per space)
        Map<String, Long> deliveredAtNanos = new ConcurrentHashMap<>();
        Lanes lanes = lanes(new FakeChannel(request -> {
            deliveredAtNanos.put(request.notification().getNotificationId(), System.nanoTime());
            return new DeliveryOutcome.Delivered();
        }), 1, 100, 5, new RateLimit(1.0, 1));

        lanes.submit(taken("first", "int/space"));
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("first"));
        // the lane has nothing queued now; half a second later the next message must still wait for its permit
        clock.advance(Duration.ofMillis(500));
        long submittedAtNanos = System.nanoTime();
        lanes.submit(taken("second", "int/space"));

        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("second"));
        // the permit's wait is slept on the real clock: measured, not raced against (a busy machine delays a check)
        assertThat(Duration.ofNanos(deliveredAtNanos.get("second") - submittedAtNanos))
                .isGreaterThanOrEqualTo(Duration.ofMillis(450));
    }

    @Test
    void aLaneKeptForItsRateLimitIsForgottenOnceItsBucketRefilled() {
        Lanes lanes = lanes(new FakeChannel(request -> new DeliveryOutcome.Delivered()), 1, 100, 5,
                new RateLimit(10.0, 1));
        lanes.submit(taken("a-1", "int/a"));
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("a-1"));
        assertThat(lanes.size()).isEqualTo(1); // its bucket is still paying off the permit

        clock.advance(Duration.ofSeconds(2));
        lanes.submit(taken("b-1", "int/b"));
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("b-1"));

        assertThat(lanes.size()).isEqualTo(1); // int/a swept, int/b kept for its own pace
    }

    private Taken taken(String notificationId, String destinationId) {
        PlatformEvent event = PlatformEvent.newBuilder().setEventId("e-" + notificationId).setType("report.completed")
                .setWorkspaceId("ws").setOccurredAt(clock.instant()).setSummary("s")
                .setPayload(new GenericPayload("{}")).build();
        Notification notification = Notification.newBuilder().setNotificationId(notificationId).setChannel("fake")
                .setDestination(new Destination(destinationId, destinationId.split("/")[0],
                        destinationId.split("/")[1]))
                .setRoutedAt(Instant.now()).setEvent(event).build();
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("notifications.fake", 0, offset++, new byte[0],
                new byte[0]);
        return new Taken(record, notification, RetryState.of(record, false, clock.instant()), tracker);
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
