package com.messagingconnectors.config.kinds;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.schemas.FieldError;
import com.messagingconnectors.schemas.Topics;

import java.util.List;

/**
 * Everything the system knows about a channel kind, in one place: its id (API kind, topic name part, sender name),
 * its channel record, its credential keys, and how the control plane validates and stores its channels. Registered
 * by one line in {@code IntegrationKind}.
 */
public interface ChannelKind {
    /** "slack", "teams", "webhook", "googlechat": the API's kind and the {@code notifications.<id>} topic part. */
    String id();

    /** What people call it: "Slack", "Google Chat". */
    String displayName();

    /** The record the channels of this kind are. */
    Class<? extends ChannelConfig> channelType();

    /** The names of the credentials the connect flow stores on the integration (sealed), which the sender reads. */
    List<String> credentialKeys();

    /** True when the API makes up channel ids (webhook endpoints); otherwise the id is required. */
    default boolean generatesChannelIds() {
        return false;
    }

    default String notificationsTopic() {
        return Topics.notifications(id());
    }

    default String deadLetterTopic() {
        return Topics.deadLetter(id());
    }

    /** The kind-specific checks of one requested channel ({@code at} is its field path, e.g. {@code channels[0]}). */
    void validate(ChannelFields channel, String at, UrlCheck urls, List<FieldError> errors);

    /**
     * The channel to store for a validated request. {@code old} is the stored channel of the same id (null for a new
     * one): write-only values (secrets) left out of the request are kept from it. Problems go to {@code errors}.
     */
    ChannelConfig build(String channelId, ChannelFields requested, ChannelConfig old, ChannelSealing sealing,
                        String at, List<FieldError> errors);

    /** A stored channel in the API's shape; write-only values are left out or masked. */
    ChannelFields fields(ChannelConfig stored);

    /** The one check of customer-supplied URLs (the SSRF policy): the problem, or null when the URL may be used. */
    @FunctionalInterface
    interface UrlCheck {
        String problem(String url);
    }
}
