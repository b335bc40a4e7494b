package com.messagingconnectors.ingest;

import com.messagingconnectors.schemas.EventJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * {@code connectors.ingest.events{outcome, reason, type}}: every event accepted or rejected. Types are free-form,
 * so only the first {@value #MAX_TYPE_TAGS} distinct types get a tag of their own (the rest count as "other"),
 * which keeps the number of time series bounded whatever clients send.
 */
@Component
public class IngestMetrics {
    static final String EVENTS = "connectors.ingest.events";
    static final int MAX_TYPE_TAGS = 100;
    static final String UNKNOWN_TYPE = "unknown";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Set<String> taggedTypes = ConcurrentHashMap.newKeySet();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        taggedTypes.addAll(EventJson.typedEventTypes());
    }

    public void accepted(String type) {
        counter("accepted", "none", type).increment();
    }

    public void rejected(String reason, String type, int events) {
        counter("rejected", reason, type).increment(events);
    }

    private Counter counter(String outcome, String reason, String type) {
        String typeTag = typeTag(type);
        return counters.computeIfAbsent(outcome + '|' + reason + '|' + typeTag, key -> Counter.builder(EVENTS)
                .description("Events received over HTTP, by outcome")
                .tag("outcome", outcome)
                .tag("reason", reason)
                .tag("type", typeTag)
                .register(registry));
    }

    private String typeTag(String type) {
        if (type == null) {
            return UNKNOWN_TYPE;
        }
        if (taggedTypes.contains(type)) {
            return type;
        }
        if (taggedTypes.size() < MAX_TYPE_TAGS && EventJson.TYPE_PATTERN.matcher(type).matches()) {
            taggedTypes.add(type);
            return type;
        }
        return "other";
    }
}
