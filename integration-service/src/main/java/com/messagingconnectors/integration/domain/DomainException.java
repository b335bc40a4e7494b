package com.messagingconnectors.integration.domain;

import com.messagingconnectors.schemas.FieldError;

import java.util.List;

/**
 * Why a control-plane operation did not happen, said in the domain's words. The API ({@code api.ApiProblems}) turns
 * each case into problem+json and the console ({@code console.ConsoleAdvice}) into a page or form errors; nothing
 * below the controllers knows about HTTP.
 */
public abstract sealed class DomainException extends RuntimeException {

    private DomainException(String message) {
        super(message);
    }

    /** The named thing (integration, channel, key, rule, …) does not exist, or not for this workspace. */
    public static final class NotFound extends DomainException {
        public NotFound(String what) {
            super(what + " does not exist");
        }
    }

    /** The thing exists but its state does not allow the operation (not connected yet, token revoked, …). */
    public static final class Conflict extends DomainException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** The operation is for another kind of integration or channel (a Slack call on a Teams integration, …). */
    public static final class WrongKind extends DomainException {
        public WrongKind(String message) {
            super(message);
        }
    }

    /** The caller's version (If-Match, the console page's etag) is no longer the current one. */
    public static final class StaleVersion extends DomainException {
        public StaleVersion(String message) {
            super(message);
        }
    }

    /** The input is invalid; each problem names its field. */
    public static final class Invalid extends DomainException {
        private final List<FieldError> errors;

        public Invalid(List<FieldError> errors) {
            super(errors.size() == 1 ? errors.getFirst().field() + ": " + errors.getFirst().problem()
                    : errors.size() + " fields are invalid; see errors");
            this.errors = List.copyOf(errors);
        }

        public Invalid(String field, String problem) {
            this(List.of(new FieldError(field, problem)));
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    /** The caller may not do this (e.g. hand out rights its own key does not hold). */
    public static final class NotPermitted extends DomainException {
        public NotPermitted(String message) {
            super(message);
        }
    }

    /** Cannot be done right now on this installation: not configured, rate-limited, interrupted. Try again later. */
    public static final class Unavailable extends DomainException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /**
     * A system we call (Slack, Microsoft, a sender's admin API) could not be reached or failed.
     * {@code refusedWith} is the status it refused with when that is the caller's to fix (4xx), else 0.
     */
    public static final class UpstreamFailed extends DomainException {
        private final int refusedWith;

        public UpstreamFailed(String message) {
            this(message, 0);
        }

        public UpstreamFailed(String message, int refusedWith) {
            super(message);
            this.refusedWith = refusedWith >= 400 && refusedWith < 500 ? refusedWith : 0;
        }

        public int refusedWith() {
            return refusedWith;
        }
    }
}
