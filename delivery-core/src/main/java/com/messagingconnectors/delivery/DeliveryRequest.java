package com.messagingconnectors.delivery;

import com.messagingconnectors.config.model.ChannelConfig;
import com.messagingconnectors.config.model.IntegrationConfig;
import com.messagingconnectors.schemas.avro.Notification;

/**
 * Everything a channel needs for one attempt: the notification (which carries the whole event), its destination as it
 * is in the live config now, and which attempt this is.
 *
 * @param attempt 1 for the first attempt; retries count up
 * @param manual  true when an operator replayed it
 */
public record DeliveryRequest(Notification notification, IntegrationConfig integration, ChannelConfig channel,
                              int attempt, boolean manual) {
}
