package com.messagingconnectors.delivery.replay;

import com.messagingconnectors.schemas.DeliveryHeaders;
import com.messagingconnectors.schemas.Topics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends selected dead letters back to {@code notifications.<channel>} with their original key and value, so the
 * notification id (and with it the receiver's dedupe key) stays the same, plus the header
 * {@code connectors-replay=manual} ({@link DeliveryHeaders#REPLAY}). The dead-letter headers are dropped: the replayed record starts a
 * fresh delivery. Checks every argument before anything is sent; skips notifications already delivered and
 * second dead letters of the same notification; paces sends to the requested rate.
 */
public class Replayer {
    private static final long SEND_TIMEOUT_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(Replayer.class);

    private final DeadLetterBrowser browser;
    private final Producer<byte[], byte[]> producer;
    private final DeliveredCheck deliveredCheck;

    /** @param deliveredCheck null when the sender keeps no record of delivered ids */
    public Replayer(DeadLetterBrowser browser, Producer<byte[], byte[]> producer, DeliveredCheck deliveredCheck) {
        this.browser = browser;
        this.producer = producer;
        this.deliveredCheck = deliveredCheck;
    }

    public ReplaySummary replay(ReplayRequest request) {
        DeadLetterBrowser.Result found = browser.find(request.filter());
        String target = Topics.notifications(browser.channel());
        long intervalNanos = (long) (1_000_000_000L / request.ratePerSecond());
        long nextSendAt = System.nanoTime();
        Set<String> seen = new HashSet<>();
        List<ReplaySummary.Item> items = new ArrayList<>();
        int replayed = 0;
        int delivered = 0;
        int duplicates = 0;
        int failed = 0;
        for (DeadLetterBrowser.Found match : found.matches()) {
            DeadLetter letter = match.letter();
            ReplaySummary.Outcome outcome;
            String detail = null;
            if (!letter.decodable()) {
                outcome = ReplaySummary.Outcome.FAILED;
                detail = "not replayable: the record does not decode (" + letter.decodeError() + ")";
            } else if (!seen.add(letter.notificationId())) {
                outcome = ReplaySummary.Outcome.SKIPPED_DUPLICATE;
                detail = "an earlier dead letter of this notification is in this replay";
            } else if (deliveredCheck != null && deliveredCheck.contains(letter.notificationId())) {
                outcome = ReplaySummary.Outcome.SKIPPED_ALREADY_DELIVERED;
            } else if (request.dryRun()) {
                outcome = ReplaySummary.Outcome.WOULD_REPLAY;
            } else {
                nextSendAt = pace(nextSendAt, intervalNanos);
                detail = send(target, match);
                outcome = detail == null ? ReplaySummary.Outcome.REPLAYED : ReplaySummary.Outcome.FAILED;
            }
            switch (outcome) {
                case REPLAYED, WOULD_REPLAY -> replayed++;
                case SKIPPED_ALREADY_DELIVERED -> delivered++;
                case SKIPPED_DUPLICATE -> duplicates++;
                case FAILED -> failed++;
            }
            if (!request.dryRun()) {
                log.info("replay {} dead letter {} notificationId={} eventId={} to {}: {}{}", browser.topic(),
                        letter.id(), letter.notificationId(), letter.eventId(), target, outcome,
                        detail == null ? "" : " (" + detail + ")");
            }
            items.add(new ReplaySummary.Item(letter.id(), letter.notificationId(), letter.destinationId(),
                    letter.eventType(), outcome, detail));
        }
        return new ReplaySummary(browser.channel(), browser.topic(), target, request.dryRun(),
                found.matches().size(), replayed, delivered, duplicates, failed, deliveredCheck != null,
                found.truncated(), items);
    }

    /** Null when sent and acknowledged; otherwise why not. */
    private String send(String target, DeadLetterBrowser.Found match) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : match.headers()) {
            if (!DeliveryHeaders.isDeadLetterReason(header.key())) {
                headers.add(header);
            }
        }
        DeliveryHeaders.putText(headers, DeliveryHeaders.REPLAY, DeliveryHeaders.REPLAY_MANUAL);
        try {
            producer.send(new ProducerRecord<>(target, null, match.key(), match.value(), headers))
                    .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            return "send to " + target + " failed: " + e.getCause().getMessage();
        } catch (TimeoutException e) {
            return "send to " + target + " not acknowledged within " + SEND_TIMEOUT_SECONDS + " s";
        }
    }

    /** Waits for the next send slot; returns the one after it. */
    private static long pace(long nextSendAt, long intervalNanos) {
        long wait = nextSendAt - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        return Math.max(nextSendAt, System.nanoTime()) + intervalNanos; // no burst to catch up after a slow send
    }
}
