package com.messagingconnectors.digest;

/** Messages sent to one destination in the current minute ({@code digest-caps} store). */
final class CapState {
    public long minuteStart;
    public int sent;
}
