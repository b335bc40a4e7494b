package com.messagingconnectors.integration.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The console login sessions ({@code connectors.console.*}).
 *
 * @param idleTimeout        a session unused this long ends
 * @param maxAge             a session ends this long after login, used or not
 * @param maxSessions        sessions held at most (in memory); beyond it a login is refused until some end
 * @param maxSessionsPerKey  sessions one API key may hold; its oldest ends when it logs in once more
 * @param senders            sender kind → base URL of its admin API (dead letters, replay), for the operator's screens
 */
@ConfigurationProperties("connectors.console")
public record ConsoleProperties(
        @DefaultValue("30m") Duration idleTimeout,
        @DefaultValue("8h") Duration maxAge,
        @DefaultValue("10000") int maxSessions,
        @DefaultValue("20") int maxSessionsPerKey,
        Map<String, String> senders) {

    public ConsoleProperties {
        senders = senders == null ? Map.of() : new TreeMap<>(senders);
    }
}
