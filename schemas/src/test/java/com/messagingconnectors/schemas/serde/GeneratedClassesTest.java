package com.messagingconnectors.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.messagingconnectors.schemas.avro.Level;
import com.messagingconnectors.schemas.avro.PlatformEvent;
import com.messagingconnectors.schemas.avro.UserInvited;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The generated classes work without any Avro system property (src/main/avro-templates trusts their package):
 * enum defaults in builders, deep copies and Avro's single-object encoding all load classes by name.
 */
class GeneratedClassesTest {

    @Test
    void buildersCopiesAndEncodingWorkOutOfTheBox() throws Exception {
        PlatformEvent event = PlatformEvent.newBuilder()
                .setEventId("e-1").setType("user.invited").setWorkspaceId("ws")
                .setOccurredAt(Instant.parse("2026-11-28T08:00:00Z")).setSummary("Ann invited Bob")
                .setPayload(UserInvited.newBuilder().setUserEmail("bob@example.com").setInvitedBy("ann").build())
                .build();

        assertThat(event.getLevel()).isEqualTo(Level.info);
        assertThat(PlatformEvent.newBuilder(event).setLevel(Level.warning).build().getPayload())
                .isEqualTo(event.getPayload());
        assertThat(PlatformEvent.fromByteBuffer(event.toByteBuffer())).isEqualTo(event);
    }
}
