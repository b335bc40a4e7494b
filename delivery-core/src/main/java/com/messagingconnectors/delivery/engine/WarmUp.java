package com.messagingconnectors.delivery.engine;

import com.messagingconnectors.config.observe.Traces;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.NotificationChannel;
import com.messagingconnectors.delivery.Rehearsal;
import com.messagingconnectors.delivery.lanes.Attempt;
import com.messagingconnectors.schemas.avro.Notification;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rehearses a channel's delivery before its sender says it is ready: a new JVM runs its code interpreted until the JIT
 * has compiled it, and the first notifications after a (re)start then took 15 ms per attempt instead of under 1 ms,
 * so a burst right after {@code all ready} queued for seconds. The rehearsal runs the channel's own code (the
 * message rendering, signing, the pooled HTTP client, the attempt's trace hop) against a loopback server of its own
 * that answers {@code 200 {"ok":true}}, through a copy of the channel ({@link NotificationChannel#rehearsal}) whose
 * client reaches nothing else. Nothing of it is recorded: no delivered-log entry, status, metric or dead letter. A
 * channel without a rehearsal is not warmed.
 */
final class WarmUp {
    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    private static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

    private WarmUp() {
    }

    /**
     * Runs up to {@code rounds} rehearsed deliveries, stopping early after {@code budget} or at the first one that is
     * not delivered. Never throws: a failed warm-up only means the first deliveries run cold.
     *
     * @return how many rehearsed deliveries were delivered
     */
    static int run(NotificationChannel channel, int rounds, Duration budget) {
        if (rounds <= 0) {
            return 0;
        }
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        int delivered = 0;
        try (ExecutorService sinkThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            sink.setExecutor(sinkThreads);
            sink.createContext("/", exchange -> {
                try (InputStream body = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                    body.transferTo(OutputStream.nullOutputStream());
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, OK.length);
                    out.write(OK);
                }
            });
            sink.start();
            try {
                URI uri = URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                        + sink.getAddress().getPort() + "/rehearsal");
                Optional<Rehearsal> rehearsal = channel.rehearsal(uri);
                if (rehearsal.isEmpty()) {
                    return 0;
                }
                try (Rehearsal r = rehearsal.get()) {
                    while (delivered < rounds && System.nanoTime() < deadline) {
                        DeliveryOutcome outcome;
                        Notification notification = r.request().notification();
                        try (Traces.Hop hop = Attempt.hop(channel.name(), new RecordHeaders(), notification,
                                notification.getDestination().getDestinationId())) {
                            outcome = r.channel().deliver(r.request());
                        }
                        if (!(outcome instanceof DeliveryOutcome.Delivered)) {
                            log.warn("warm-up of {} stopped after {} rehearsed deliveries: {}", channel.name(),
                                    delivered, outcome);
                            break;
                        }
                        delivered++;
                    }
                }
            } finally {
                sink.stop(0);
            }
        } catch (Exception e) {
            log.warn("warm-up of {} stopped after {} rehearsed deliveries: {}", channel.name(), delivered,
                    e.toString());
        }
        log.info("warmed up {} with {} rehearsed deliveries in {} ms", channel.name(), delivered,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return delivered;
    }
}
