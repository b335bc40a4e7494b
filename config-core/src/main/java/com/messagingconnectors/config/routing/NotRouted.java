package com.messagingconnectors.config.routing;

/** An integration (or one of its rules' targets) that receives nothing for an event, and why. */
public record NotRouted(String integrationId, String ruleId, NotRoutedReason reason, String detail) {
}
