package com.messagingconnectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.messaging.MessageHandlingException;

/** The reason written to the dead-letter headers is the telling exception, not Spring's wrappers around it. */
class DeadLetterReasonTest {

    @Test
    void undecodableRecordIsExplainedByTheSerdesError() {
        SerializationException serde = new SerializationException("unknown magic byte 0x7b");
        DeserializationException wrapped = new DeserializationException("failed to deserialize", new byte[] {0x7b},
                false, serde);

        assertThat(DeadLetterConfiguration.reason(wrapped)).isSameAs(serde);
    }

    @Test
    void failedDeliveryIsExplainedByTheDeliveryException() {
        DeliveryException failure = DeliveryException.of(new DeliveryOutcome.Permanent(DeliveryOutcome.FailureReason.destination_gone, "HTTP 410", 410,
                DeliveryOutcome.IntegrationEffect.ENDPOINT_DISABLED), 410, "n-1");
        Exception wrapped = new ListenerExecutionFailedException("Listener failed",
                new MessageHandlingException(null, "handler failed", failure));

        assertThat(DeadLetterConfiguration.reason(wrapped)).isSameAs(failure);
        assertThat(failure.getMessage()).isEqualTo("delivery of notification n-1 failed: HTTP 410");
        assertThat(failure.httpStatus()).isEqualTo(410);
    }

    @Test
    void anUnwrappedExceptionIsItsOwnReason() {
        IllegalStateException bug = new IllegalStateException("bug", new RuntimeException("cause"));

        assertThat(DeadLetterConfiguration.reason(bug)).isSameAs(bug);
    }
}
