package com.messagingconnectors.integration.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Where the console login may send the browser back to: only the start URL of a connect link, as a path on this
 * server ({@code /oauth/<provider>/start?ticket=<ticket>}). Anything else — another host, {@code //host},
 * backslashes, encoded tricks, other paths — is refused, so the login page cannot be used as an open redirect.
 */
public final class LoginReturns {
    public static final String LOGIN_PATH = "/console/login";
    private static final Pattern START_PATH = Pattern.compile("/oauth/[a-z][a-z0-9-]{0,30}/start\\?ticket=[A-Za-z0-9_-]{1,128}");

    private LoginReturns() {
    }

    public static boolean isSafe(String returnPath) {
        return returnPath != null && START_PATH.matcher(returnPath).matches();
    }

    /** The login page that comes back to {@code returnPath} (which must be safe). */
    public static String loginUrl(String returnPath) {
        if (!isSafe(returnPath)) {
            throw new IllegalArgumentException("not a connect start path");
        }
        return LOGIN_PATH + "?return=" + URLEncoder.encode(returnPath, StandardCharsets.UTF_8);
    }
}
