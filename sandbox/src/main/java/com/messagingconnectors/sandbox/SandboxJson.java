package com.messagingconnectors.sandbox;

import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox's JSON mapper (Jackson 3). It keeps Jackson 2's defaults, which the sandbox was written against
 * (for one, properties written in declaration order, not sorted). The sandbox does not depend on the schemas module,
 * whose {@code Json} mapper the services use.
 */
final class SandboxJson {

    static final JsonMapper MAPPER = JsonMapper.builderWithJackson2Defaults().build();

    private SandboxJson() {
    }
}
