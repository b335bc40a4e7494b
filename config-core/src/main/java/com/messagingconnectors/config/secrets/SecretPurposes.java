package com.messagingconnectors.config.secrets;

/**
 * The associated data each kind of secret is sealed with (see {@link SecretBox}): integration-service seals with
 * these and the senders open with the same, so a ciphertext only opens for the record and use it was made for.
 */
public final class SecretPurposes {
    private SecretPurposes() {
    }

    /** A webhook endpoint's signing secret. */
    public static String signing(String workspaceId, String integrationId, String channelId) {
        return "integration/" + workspaceId + "/" + integrationId + "/" + channelId + "/signing";
    }

    /** A webhook endpoint's custom header value, by header name (case-insensitive, as HTTP names are). */
    public static String header(String workspaceId, String integrationId, String channelId, String headerName) {
        return "integration/" + workspaceId + "/" + integrationId + "/" + channelId + "/header/"
                + headerName.toLowerCase(java.util.Locale.ROOT);
    }

    /** A connect flow's credential (Slack bot token, Microsoft refresh token, Workflows URL …), by name. */
    public static String credential(String workspaceId, String integrationId, String name) {
        return "integration/" + workspaceId + "/" + integrationId + "/credential/" + name;
    }
}
