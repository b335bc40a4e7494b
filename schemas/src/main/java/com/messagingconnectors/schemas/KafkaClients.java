package com.messagingconnectors.schemas;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where every Kafka client of the system (producers, consumers, admin clients; the services, the config follower and
 * writer, the schema registry's store, the command-line tools) gets its connection settings: the bootstrap servers
 * plus the security settings of the environment.
 *
 * <p>A client security setting {@code security.protocol}, {@code sasl.*} or {@code ssl.*} is taken from the environment
 * variable {@code KAFKA_} + the setting upper-cased with dots as underscores: {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}, {@code KAFKA_SSL_TRUSTSTORE_LOCATION}, … (in
 * Kubernetes: a Secret passed with {@code envFrom}). Blank values count as unset. A name Kafka does not know, or SASL /
 * SSL settings with a {@code security.protocol} that ignores them, fail at client creation with a message that names
 * the variable and never its value. Nothing here logs; Kafka's own config dump masks password-typed settings such as
 * {@code sasl.jaas.config} and the store passwords.
 */
public final class KafkaClients {
    private static final String ENV_PREFIX = "KAFKA_";
    private static final List<String> SECURITY_PREFIXES = List.of("security.", "sasl.", "ssl.");
    private static final Set<String> CLIENT_SETTINGS = clientSettings();

    private KafkaClients() {
    }

    /** Bootstrap servers and the environment's security settings, for the caller to add its own settings to. */
    public static Properties properties(String bootstrapServers) {
        Properties properties = new Properties();
        properties.putAll(config(bootstrapServers));
        return properties;
    }

    /** As {@link #properties(String)}, as a mutable map. */
    public static Map<String, Object> config(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>(security(System.getenv()));
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** The security settings in {@code environment}, Kafka setting name → value; validated. */
    static Map<String, String> security(Map<String, String> environment) {
        Map<String, String> settings = new TreeMap<>();
        Map<String, String> variables = new HashMap<>();
        environment.forEach((variable, value) -> {
            if (!variable.startsWith(ENV_PREFIX) || value == null || value.isBlank()) {
                return;
            }
            String setting = variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            if (SECURITY_PREFIXES.stream().noneMatch(setting::startsWith)) {
                return; // KAFKA_BOOTSTRAP_SERVERS, Kubernetes service links (KAFKA_PORT, …) and the like
            }
            if (!CLIENT_SETTINGS.contains(setting)) {
                throw new IllegalArgumentException("environment variable " + variable + " names no Kafka client setting ("
                        + setting + "); see deploy/README.md, \"Kafka client security\"");
            }
            settings.put(setting, value.strip());
            variables.put(setting, variable);
        });
        String protocol = settings.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
                .toUpperCase(Locale.ROOT);
        for (String setting : settings.keySet()) {
            boolean ignored = setting.startsWith("sasl.") && !protocol.startsWith("SASL_")
                    || setting.startsWith("ssl.") && !protocol.endsWith("SSL");
            if (ignored) {
                throw new IllegalArgumentException(variables.get(setting) + " is set but KAFKA_SECURITY_PROTOCOL is "
                        + protocol + ", which does not use it: set KAFKA_SECURITY_PROTOCOL to "
                        + (setting.startsWith("sasl.") ? "SASL_SSL (or SASL_PLAINTEXT)" : "SSL or SASL_SSL"));
            }
        }
        return settings;
    }

    private static Set<String> clientSettings() {
        Set<String> names = new HashSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }
}
