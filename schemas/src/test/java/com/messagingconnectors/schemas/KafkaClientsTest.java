package com.messagingconnectors.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"connectors\" password=\"s3cret-pw\";";

    @Test
    void securitySettingsComeFromKafkaPrefixedVariables() {
        Map<String, String> settings = KafkaClients.security(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", JAAS,
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka-client/ca.pem"));

        assertThat(settings).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", "/etc/kafka-client/ca.pem"));
    }

    @Test
    void otherVariablesAndBlankValuesAreIgnored() {
        Map<String, String> settings = KafkaClients.security(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                // what Kubernetes injects for a Service named kafka
                "KAFKA_PORT", "tcp://10.0.0.7:9092", "KAFKA_SERVICE_HOST", "10.0.0.7",
                "KAFKA_SASL_MECHANISM", " ",
                "SASL_MECHANISM", "PLAIN", "PATH", "/usr/bin"));

        assertThat(settings).isEmpty();
    }

    @Test
    void aMisspelledSettingIsRefusedNamingTheVariableButNotItsValue() {
        assertThatThrownBy(() -> KafkaClients.security(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_JASS_CONFIG", JAAS)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KAFKA_SASL_JASS_CONFIG")
                .hasMessageContaining("sasl.jass.config")
                .message().doesNotContain("s3cret-pw");
    }

    @Test
    void saslSettingsWithoutASaslProtocolAreRefusedInsteadOfSilentlyIgnored() {
        assertThatThrownBy(() -> KafkaClients.security(Map.of("KAFKA_SASL_JAAS_CONFIG", JAAS)))
                .hasMessageContaining("KAFKA_SASL_JAAS_CONFIG is set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT")
                .message().doesNotContain("s3cret-pw");
        assertThatThrownBy(() -> KafkaClients.security(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SSL_TRUSTSTORE_LOCATION", "/ca.pem")))
                .hasMessageContaining("set KAFKA_SECURITY_PROTOCOL to SSL or SASL_SSL");
    }

    @Test
    void clientPropertiesCarryTheBootstrapServers() {
        assertThat(KafkaClients.properties("127.0.0.1:9092"))
                .containsEntry("bootstrap.servers", "127.0.0.1:9092");
    }
}
