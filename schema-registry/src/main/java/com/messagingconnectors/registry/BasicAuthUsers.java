package com.messagingconnectors.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The users allowed to call the registry when it requires HTTP basic authentication, as Confluent's does with
 * {@code authentication.method=BASIC}. Given as {@code user:password[,user:password…]} (environment variable
 * {@code REGISTRY_BASIC_AUTH_USERS}, never on the command line, where other users of the machine could read it).
 * Passwords are compared as SHA-256 digests in constant time.
 */
final class BasicAuthUsers {
    private final Map<String, byte[]> passwordDigests;

    private BasicAuthUsers(Map<String, byte[]> passwordDigests) {
        this.passwordDigests = passwordDigests;
    }

    /** Parses {@code user:password[,user:password…]}; the message of a bad entry names its position only. */
    static BasicAuthUsers parse(String users) {
        Map<String, byte[]> digests = new LinkedHashMap<>();
        String[] entries = users.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("REGISTRY_BASIC_AUTH_USERS entry " + (i + 1)
                        + " is not user:password");
            }
            digests.put(entry.substring(0, colon), sha256(entry.substring(colon + 1)));
        }
        return new BasicAuthUsers(Map.copyOf(digests));
    }

    /** True when the Authorization header carries the password of a known user. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String userInfo;
        try {
            userInfo = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = userInfo.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        byte[] expected = passwordDigests.get(userInfo.substring(0, colon));
        byte[] given = sha256(userInfo.substring(colon + 1));
        // compare even for an unknown user, so timing does not tell which user names exist
        return MessageDigest.isEqual(expected == null ? new byte[given.length] : expected, given) && expected != null;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
