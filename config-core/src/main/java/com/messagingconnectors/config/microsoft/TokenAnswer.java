package com.messagingconnectors.config.microsoft;

/**
 * What the Microsoft identity platform's token endpoint answered: tokens, or the error it gave.
 *
 * @param status           HTTP status
 * @param expiresInSeconds lifetime of the access token (3600 when the answer does not say)
 * @param error            OAuth error code ({@code invalid_grant}, {@code interaction_required} …) or null
 * @param errorCode        the AADSTS code from the error description ({@code AADSTS70008}) or "" — the description
 *                         itself is not kept: it carries trace and correlation ids
 * @param retryAfter       the Retry-After header of a 429/503, or null
 */
public record TokenAnswer(int status, String accessToken, String refreshToken, String idToken, String scope,
                          long expiresInSeconds, String error, String errorCode, String retryAfter) {

    public boolean ok() {
        return status == 200 && accessToken != null;
    }

    /** e.g. "invalid_grant (AADSTS70000)", or "HTTP 500" when there is no OAuth error. */
    public String describeError() {
        return (error == null ? "HTTP " + status : error) + (errorCode.isEmpty() ? "" : " (" + errorCode + ")");
    }

    /** The sign-in was revoked, expired or lost consent: only the user connecting again helps. */
    public boolean signInLost() {
        return "invalid_grant".equals(error) || "interaction_required".equals(error)
                || "consent_required".equals(error);
    }
}
