package com.messagingconnectors.delivery.outcome;

import com.messagingconnectors.delivery.DeliveryException;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.intake.Taken;
import com.messagingconnectors.delivery.metrics.DeliveryMetrics;
import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.Topics;
import com.messagingconnectors.schemas.avro.Notification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what an attempt came to: a delivery into the {@link DeliveredLog}; a retry into the retry topic of the next
 * schedule step with its not-before; a parked record (busy lane, open circuit) into the step that fits its delay; a
 * dead letter, with its reason headers ({@link DeliveryHeaders}), into {@code notifications.<channel>.dlq}. A record
 * is done only once the broker has it (or it is recorded delivered); if a send fails it stays uncommitted and is
 * redelivered. Every attempt is counted and logged here, one line each.
 */
public final class OutcomeWriter {
    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);

    private final String mainTopic;
    private final String deadLetterTopic;
    private final String group;
    private final RetrySchedule schedule;
    private final Producer<byte[], byte[]> producer;
    private final DeliveredLog deliveredLog;
    private final StatusReporter status;
    private final DeliveryMetrics metrics;
    private final Clock clock;

    public OutcomeWriter(String channel, String group, RetrySchedule schedule, Producer<byte[], byte[]> producer,
            DeliveredLog deliveredLog, StatusReporter status, DeliveryMetrics metrics, Clock clock) {
        this.mainTopic = Topics.notifications(channel);
        this.deadLetterTopic = Topics.deadLetter(channel);
        this.group = group;
        this.schedule = schedule;
        this.producer = producer;
        this.deliveredLog = deliveredLog;
        this.status = status;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Delivered: remembered (dedupe), counted, reported, done. */
    public void delivered(Taken work) {
        Instant now = clock.instant();
        Notification notification = work.notification();
        deliveredLog.delivered(notification.getNotificationId());
        metrics.attempt("delivered", "none", 0);
        metrics.latency(Duration.between(notification.getEvent().getOccurredAt(), now));
        status.delivered(notification.getEvent().getWorkspaceId(), notification.getDestination().getIntegrationId(),
                notification.getDestination().getTarget());
        logAttempt(work, "delivered", "none", 0, null);
        work.done();
    }

    /** Worth another attempt: into the next retry topic, or dead-lettered when the schedule is used up. */
    public void retry(Taken work, DeliveryOutcome.Retryable retry) {
        Instant now = clock.instant();
        RetryState state = work.state();
        metrics.attempt("retryable", retry.reason().name(), retry.httpStatus());
        String error = retry.reason() + ": " + retry.detail();
        if (state.attempt() >= schedule.maxAttempts()) {
            logAttempt(work, "dead-lettered", retry.reason().name(), retry.httpStatus(), "retries exhausted");
            deadLetter(work, new DeliveryException.Retryable("gave up after " + state.attempt() + " attempts: "
                    + error, retry.httpStatus() == 0 ? null : retry.httpStatus(), null), retry.reason().name(),
                    retry.httpStatus(), now);
            return;
        }
        boolean floor = retry.reason() == FailureReason.rate_limited || retry.reason() == FailureReason.timeout;
        Duration delay = schedule.delayBefore(state.attempt() + 1, retry.retryAfter(), floor);
        logAttempt(work, "retry", retry.reason().name(), retry.httpStatus(), "next in " + delay);
        RetryState next = new RetryState(state.attempt() + 1, now.plus(delay), firstAttempt(state, now),
                state.originalTopic(), state.originalPartition(), state.originalOffset(), error);
        send(work, RetrySchedule.retryTopic(mainTopic, state.attempt()), next);
    }

    /** Refused for good: the integration's status is reported and the notification dead-lettered at once. */
    public void permanent(Taken work, DeliveryOutcome.Permanent permanent) {
        Notification notification = work.notification();
        metrics.attempt("permanent", permanent.reason().name(), permanent.httpStatus());
        logAttempt(work, "dead-lettered", permanent.reason().name(), permanent.httpStatus(), permanent.detail());
        status.effect(notification.getEvent().getWorkspaceId(), notification.getDestination().getIntegrationId(),
                notification.getDestination().getTarget(), permanent.status(), permanent.reason().name(),
                permanent.detail());
        deadLetter(work, new DeliveryException.Permanent(permanent.reason() + ": " + permanent.detail(),
                permanent.httpStatus() == 0 ? null : permanent.httpStatus()), permanent.reason().name(),
                permanent.httpStatus(), clock.instant());
    }

    /** Not attempted because its destination is missing or turned off: dead-lettered with {@code reason}. */
    public void refused(Taken work, String reason, String message, boolean countAsAttempt) {
        if (countAsAttempt) {
            metrics.attempt("permanent", reason, 0);
        }
        deadLetter(work, new DeliveryException.Permanent(message, null), reason, 0, clock.instant());
    }

    /** Cannot be read (undecodable value, unreadable delivery state): dead-lettered at once, never retried. */
    public void poison(Taken work, Exception cause) {
        deadLetter(work, cause, "poison", 0, clock.instant());
    }

    /** Parks a record without counting an attempt (busy lane, open circuit): it comes back after {@code delay}. */
    public void park(Taken work, Duration delay, String why) {
        RetryState state = work.state();
        Instant now = clock.instant();
        RetryState parked = new RetryState(state.attempt(), now.plus(delay), firstAttempt(state, now),
                state.originalTopic(), state.originalPartition(), state.originalOffset(), state.lastError());
        log.info("parked notificationId={} destination={} for {}: {}", work.notification().getNotificationId(),
                work.destinationId(), delay, why);
        send(work, RetrySchedule.retryTopic(mainTopic, schedule.stepFor(delay)), parked);
    }

    private void deadLetter(Taken work, Throwable reason, String reasonTag, int httpStatus, Instant lastAttempt) {
        ConsumerRecord<byte[], byte[]> record = work.record();
        RetryState state = work.state();
        Headers headers = new RecordHeaders(record.headers().toArray());
        RetryState.removeFrom(headers);
        DeliveryHeaders.addReason(headers, record, reason, group);
        if (!record.topic().equals(state.originalTopic())) {
            // read from a retry topic: the original is where the notification was first read
            DeliveryHeaders.putOriginal(headers, state.originalTopic(), state.originalPartition(),
                    state.originalOffset());
        }
        if (httpStatus > 0) {
            DeliveryHeaders.putText(headers, DeliveryHeaders.HTTP_STATUS, Integer.toString(httpStatus));
        }
        DeliveryHeaders.putText(headers, DeliveryHeaders.REASON, reasonTag);
        DeliveryHeaders.putText(headers, DeliveryHeaders.ATTEMPTS,
                Integer.toString(work.notification() == null ? 0 : state.attempt()));
        DeliveryHeaders.putText(headers, DeliveryHeaders.FIRST_ATTEMPT, firstAttempt(state, lastAttempt).toString());
        DeliveryHeaders.putText(headers, DeliveryHeaders.LAST_ATTEMPT, lastAttempt.toString());
        metrics.deadLettered(reasonTag);
        String ids = work.notification() == null ? "" : " notificationId=" + work.notification().getNotificationId()
                + " eventId=" + work.notification().getEvent().getEventId() + " destination=" + work.destinationId();
        log.warn("dead-lettered {}-{}@{}{} to {} reason={}: {}", record.topic(), record.partition(), record.offset(),
                ids, deadLetterTopic, reasonTag, reason.getMessage());
        sendRaw(work, new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers));
    }

    private void send(Taken work, String topic, RetryState state) {
        Headers headers = new RecordHeaders(work.record().headers().toArray());
        state.writeTo(headers);
        sendRaw(work, new ProducerRecord<>(topic, null, work.record().key(), work.record().value(), headers));
    }

    private void sendRaw(Taken work, ProducerRecord<byte[], byte[]> record) {
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                work.done();
            } else {
                log.error("could not write {} for {}-{}@{}; it stays uncommitted: {}", record.topic(),
                        work.record().topic(), work.record().partition(), work.record().offset(), error.toString());
            }
        });
    }

    private static Instant firstAttempt(RetryState state, Instant now) {
        return state.firstAttempt() == null ? now : state.firstAttempt();
    }

    private void logAttempt(Taken work, String outcome, String reason, int httpStatus, String detail) {
        Notification n = work.notification();
        log.info("attempt notificationId={} eventId={} destination={} attempt={} outcome={} reason={} status={}{}",
                n.getNotificationId(), n.getEvent().getEventId(), work.destinationId(), work.state().attempt(),
                outcome, reason, httpStatus > 0 ? httpStatus : "none", detail == null ? "" : " detail=" + detail);
    }
}
