package com.messagingconnectors.digest;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A record leaving the digest stage: the topic it goes to (a sender's, or the dead-letter topic) and its bytes. */
record Outgoing(String topic, byte[] value) {
    /** Writes only the bytes; the topic is chosen by the sink. */
    static final Serde<Outgoing> SERDE = Serdes.serdeFrom((topic, out) -> out == null ? null : out.value(),
            (topic, bytes) -> {
                throw new UnsupportedOperationException("the digest stage never reads its own output");
            });
}
