package com.messagingconnectors.delivery;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Told after a record was written to its dead-letter topic (to count and log it); a bean in the application. */
@FunctionalInterface
public interface DeadLetterListener {
    void deadLettered(ConsumerRecord<?, ?> record, Exception reason);
}
