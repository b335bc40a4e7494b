package com.messagingconnectors.delivery.replay;

import java.time.Instant;

/**
 * One record of {@code notifications.<channel>.dlq} as an operator sees it. The notification fields are null when the
 * record could not be decoded (a poison record); {@link #decodeError} then says why.
 *
 * @param id where it is: {@code <partition>-<offset>} in the dead-letter topic
 * @param deadLetteredAt timestamp of the dead-letter record
 * @param errorClass class of the reason (header kafka_dlt-exception-fqcn)
 * @param httpStatus status of the destination's last answer, when it answered
 */
public record DeadLetter(String id, int partition, long offset, Instant deadLetteredAt, String key,
        String notificationId, String eventId, String eventType, String workspaceId, String destinationId,
        String errorClass, String errorMessage, Integer httpStatus, String originalTopic, Integer originalPartition,
        Long originalOffset, Instant originalTimestamp, String decodeError) {

    public boolean decodable() {
        return decodeError == null;
    }
}
