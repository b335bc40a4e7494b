package com.messagingconnectors.config.model;

/** The kinds of integration; each has its own notification topic and sender. */
public enum IntegrationKind {
    slack, teams, webhook;

    /** The per-channel topic name part: notifications.&lt;channel&gt;. */
    public String channel() {
        return name();
    }
}
