package com.messagingconnectors.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Fits a message to its platform's size limit by leaving out trailing items (a card's facts or fields), visibly: the
 * layout is told how many are not shown. One way for every formatter, so each platform's card only says how it is laid
 * out and how its size is measured.
 */
public final class MessageBudget {

    private MessageBudget() {
    }

    /** Lays out a message with {@code shown} items and a note that {@code hidden} more exist (when above zero). */
    @FunctionalInterface
    public interface Layout<T, M> {
        M layout(List<T> shown, int hidden);
    }

    /**
     * The message with at most {@code maxItems} of {@code items}, and fewer while its {@code size} is above
     * {@code maxSize}: a quarter of the remaining items is dropped at a time, from the end. With no items left it is
     * returned as it is (the layout cuts its own texts).
     */
    public static <T, M> M fit(List<T> items, int maxItems, int maxSize, Layout<T, M> layout, ToIntFunction<M> size) {
        List<T> shown = new ArrayList<>(items);
        int hidden = 0;
        if (shown.size() > maxItems) {
            hidden = shown.size() - maxItems;
            shown = new ArrayList<>(shown.subList(0, maxItems));
        }
        M message = layout.layout(shown, hidden);
        while (size.applyAsInt(message) > maxSize && !shown.isEmpty()) {
            int drop = Math.max(1, shown.size() / 4);
            shown = new ArrayList<>(shown.subList(0, shown.size() - drop));
            hidden += drop;
            message = layout.layout(shown, hidden);
        }
        return message;
    }
}
