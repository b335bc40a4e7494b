package com.messagingconnectors.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to load classes it was not told to trust (a guard against gadget classes named in hostile
 * schemas). Our generated contract classes live in one package; this adds that package, and nothing else, to the
 * trusted set. Every entry point that makes Avro load classes by name (serde, EventJson, builders copying enums) calls
 * {@link #ensure()} first; calling it again is free.
 */
public final class AvroClassTrust {
    private static final String CONTRACT_PACKAGE = "com.messagingconnectors.schemas.avro.";
    private static volatile boolean installed;

    private AvroClassTrust() {
    }

    public static void ensure() {
        if (installed) {
            return;
        }
        synchronized (AvroClassTrust.class) {
            if (!installed) {
                ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                        type -> type.getName().startsWith(CONTRACT_PACKAGE)));
                installed = true;
            }
        }
    }
}
