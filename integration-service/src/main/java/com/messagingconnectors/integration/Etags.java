package com.messagingconnectors.integration;

import com.messagingconnectors.config.model.IntegrationConfig;

/** The ETag of an integration is its version: every change increments it. */
public final class Etags {
    private Etags() {
    }

    public static String of(IntegrationConfig config) {
        return "\"" + config.version() + "\"";
    }
}
