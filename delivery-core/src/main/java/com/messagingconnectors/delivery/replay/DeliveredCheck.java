package com.messagingconnectors.delivery.replay;

/**
 * Whether a notification id was already delivered, so replay skips it instead of sending it twice. A bean in the
 * sender: the delivery engine's record of delivered ids ({@code DeliveredLog::contains}). Without one, replay
 * skips nothing (and says so in its summary).
 */
@FunctionalInterface
public interface DeliveredCheck {
    boolean contains(String notificationId);
}
