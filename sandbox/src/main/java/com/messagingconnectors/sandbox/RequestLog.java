package com.messagingconnectors.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/** The last {@code capacity} recorded requests, in memory; the oldest are dropped first. Thread-safe. */
public final class RequestLog {

    /** Bodies are kept up to this many characters, so 1000 records stay small. */
    public static final int MAX_BODY_CHARS = 64 * 1024;

    private final int capacity;
    private final Deque<RecordedRequest> requests = new ArrayDeque<>();
    private long nextId = 1;

    public RequestLog(int capacity) {
        this.capacity = capacity;
    }

    public synchronized long nextId() {
        return nextId++;
    }

    public synchronized void add(RecordedRequest request) {
        if (requests.size() == capacity) {
            requests.removeLast();
        }
        requests.addFirst(request);
    }

    /** Newest first. */
    public synchronized List<RecordedRequest> list(Predicate<RecordedRequest> filter) {
        List<RecordedRequest> result = new ArrayList<>();
        for (RecordedRequest request : requests) {
            if (filter.test(request)) {
                result.add(request);
            }
        }
        return result;
    }

    /** Removes everything; returns how many were removed. */
    public synchronized int clear() {
        int removed = requests.size();
        requests.clear();
        return removed;
    }
}
