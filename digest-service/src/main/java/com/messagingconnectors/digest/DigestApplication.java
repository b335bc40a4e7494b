package com.messagingconnectors.digest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The digest stage: grouping, deduplication and caps between the router and the senders. */
@SpringBootApplication
public class DigestApplication {
    public static void main(String[] args) {
        SpringApplication.run(DigestApplication.class, args);
    }
}
