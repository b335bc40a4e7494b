package com.messagingconnectors.config.routing;

/** Why an integration receives nothing for an event. Also the tag of the router's "not routed" metric. */
public enum NotRoutedReason {
    integration_disabled,
    type_switched_off,
    no_rule_matched,
    channel_unknown,
    channel_disabled,
    type_not_selected_by_endpoint,
    /** the integration or the matching rule is muted (snoozed): counted, not delivered, not dead-lettered */
    muted
}
