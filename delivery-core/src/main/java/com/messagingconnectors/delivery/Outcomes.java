package com.messagingconnectors.delivery;

import java.util.function.UnaryOperator;

/** Rewrites the detail of an outcome (who answered, the platform's own error), keeping everything else. */
public final class Outcomes {

    private Outcomes() {
    }

    public static DeliveryOutcome withDetail(DeliveryOutcome outcome, UnaryOperator<String> detail) {
        return switch (outcome) {
            case DeliveryOutcome.Retryable r -> new DeliveryOutcome.Retryable(r.reason(), detail.apply(r.detail()),
                    r.retryAfter(), r.httpStatus());
            case DeliveryOutcome.Permanent p -> new DeliveryOutcome.Permanent(p.reason(), detail.apply(p.detail()),
                    p.httpStatus(), p.status());
            case DeliveryOutcome.Delivered d -> d;
        };
    }

    /** {@code prefix + detail}, e.g. "Microsoft Graph answered " + "HTTP 503". */
    public static DeliveryOutcome prefixed(DeliveryOutcome outcome, String prefix) {
        return withDetail(outcome, detail -> prefix + detail);
    }

    /** {@code detail + suffix}, e.g. "HTTP 400" + " invalid_blocks"; nothing when {@code suffix} is null. */
    public static DeliveryOutcome suffixed(DeliveryOutcome outcome, String suffix) {
        return suffix == null ? outcome : withDetail(outcome, detail -> detail + suffix);
    }
}
