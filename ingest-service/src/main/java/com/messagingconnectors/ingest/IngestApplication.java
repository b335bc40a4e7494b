package com.messagingconnectors.ingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** HTTP API that validates platform events (JSON) and produces them, Avro-encoded, to platform.events. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestApplication {
    public static void main(String[] args) {
        SpringApplication.run(IngestApplication.class, args);
    }
}
