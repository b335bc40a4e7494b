package com.messagingconnectors.config.auth;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's {@link StrictHttpFirewall} (refuses {@code ;} path parameters, encoded slashes, periods,
 * backslashes and percents, {@code //}, {@code ..} and non-printable characters) plus one rule of ours: no
 * percent-encoded unreserved character (letters, digits, {@code - . _ ~}) in the path. Those never need encoding, so
 * a client that encodes them is probing for a place where two parsers disagree ({@code /%76%31/…} is {@code /v1/…}).
 */
final class ApiFirewall extends StrictHttpFirewall {

    @Override
    public FirewalledRequest getFirewalledRequest(HttpServletRequest request) throws RequestRejectedException {
        String uri = request.getRequestURI();
        if (uri != null && encodesUnreservedCharacter(uri)) {
            throw new RequestRejectedException("The request was rejected because the URL encodes a character "
                    + "that never needs encoding");
        }
        return super.getFirewalledRequest(request);
    }

    static boolean encodesUnreservedCharacter(String uri) {
        for (int i = uri.indexOf('%'); i >= 0 && i + 2 < uri.length(); i = uri.indexOf('%', i + 1)) {
            int high = Character.digit(uri.charAt(i + 1), 16);
            int low = Character.digit(uri.charAt(i + 2), 16);
            int value = high * 16 + low;
            if (high >= 0 && low >= 0 && (value < 128 && Character.isLetterOrDigit(value) || "-._~".indexOf(value) >= 0)) {
                return true;
            }
        }
        return false;
    }
}
