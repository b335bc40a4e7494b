package com.messagingconnectors.config.group;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * How every consumer group member of the system (the router, each sender's delivery engine) joins its group, so that
 * a restarted instance gets its partitions back at once instead of waiting for its dead predecessor's session to
 * expire (see docs/decisions/0018-ready-means-ready.md).
 *
 * <ul>
 *   <li>The group protocol is KIP-848's {@code consumer} protocol (the broker assigns; no stop-the-world rebalance),
 *       or {@code classic} when {@code CONNECTORS_GROUP_PROTOCOL=classic} (a broker older than Kafka 4.0).</li>
 *   <li>With {@code CONNECTORS_INSTANCE_ID} set (the pod name in Kubernetes, the service name in ./local-stack), the
 *       member is static: {@code group.instance.id} is that id, and an instance restarting under the same id after a
 *       crash or an unclean stop takes its predecessor's place and partitions without waiting for a session
 *       timeout. Without it the member is dynamic.</li>
 *   <li>A graceful close always leaves the group ({@link #close}), static or not, so a stopped or scaled-down
 *       instance's partitions move to the others at once.</li>
 * </ul>
 */
public final class GroupMembership {
    public static final String INSTANCE_ID_VARIABLE = "CONNECTORS_INSTANCE_ID";
    public static final String PROTOCOL_VARIABLE = "CONNECTORS_GROUP_PROTOCOL";
    /** What the broker accepts as a group instance id (Kafka's own rule for it). */
    private static final Pattern LEGAL_INSTANCE_ID = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private GroupMembership() {
    }

    /** {@code group.id} {@code groupId} plus the membership settings of this process's environment. */
    public static void apply(Properties consumer, String groupId) {
        consumer.putAll(settings(groupId, System.getenv()));
    }

    /** The consumer settings for a member of {@code groupId} in {@code environment}; validated. */
    public static Map<String, String> settings(String groupId, Map<String, String> environment) {
        String protocol = value(environment, PROTOCOL_VARIABLE, "classic").toLowerCase(Locale.ROOT);
        if (!protocol.equals("consumer") && !protocol.equals("classic")) {
            throw new IllegalArgumentException(PROTOCOL_VARIABLE + " must be consumer or classic, not " + protocol);
        }
        String instanceId = value(environment, INSTANCE_ID_VARIABLE, "");
        if (instanceId.isEmpty()) {
            return Map.of(ConsumerConfig.GROUP_ID_CONFIG, groupId, ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        }
        if (!LEGAL_INSTANCE_ID.matcher(instanceId).matches()) {
            throw new IllegalArgumentException(INSTANCE_ID_VARIABLE + " may hold only letters, digits, '.', '_' and"
                    + " '-' (at most 249): " + instanceId);
        }
        return Map.of(ConsumerConfig.GROUP_ID_CONFIG, groupId, ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol,
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    }

    /** Close options for a graceful stop: leave the group, so the partitions move now, not after a timeout. */
    public static CloseOptions close(Duration timeout) {
        return CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout);
    }

    private static String value(Map<String, String> environment, String name, String fallback) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
