package com.messagingconnectors.testsupport;

import org.slf4j.LoggerFactory;

/**
 * Turns the embedded broker's own chatter (hundreds of INFO/DEBUG lines) down to WARN, so a test's output shows
 * the test. Only when the test JVM logs through Logback and nobody configured those loggers already.
 */
final class QuietLogs {

    private static final String[] BROKER_LOGGERS = {"kafka", "org.apache.kafka", "state.change.logger"};

    private QuietLogs() {
    }

    static void apply() {
        if (!LoggerFactory.getILoggerFactory().getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
            return;
        }
        Logback.warnUnlessConfigured(BROKER_LOGGERS);
    }

    /** Separate class: Logback is an optional dependency and must only be touched when it is present. */
    private static final class Logback {
        static void warnUnlessConfigured(String... names) {
            for (String name : names) {
                var logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name);
                if (logger.getLevel() == null) {
                    logger.setLevel(ch.qos.logback.classic.Level.WARN);
                }
            }
        }
    }
}
