package com.messagingconnectors.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spellings of a path an attacker tries where a security check and the router might parse a path differently:
 * {@code ;} parameters, percent-encoded letters, slashes and dots, double and trailing slashes, case, {@code ..}
 * segments. Sent byte for byte over a socket (an HTTP client library would normalise some of them away).
 */
public final class PathTricks {
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

    private PathTricks() {
    }

    /** One spelling of a path, with what it does to it. */
    public record Variant(String trick, String rawPath) {
    }

    /**
     * Every tricky spelling of a route: {@code template} is its path pattern ({@code /v1/workspaces/{workspaceId}/…}),
     * {@code values} fill its variables. {@code detour} is a segment the {@code ..} variants climb out of (e.g. the
     * attacker's own workspace id in place of the target's), may be null. Case is changed on literal segments only
     * (an upper-cased id names another resource, not the same one).
     */
    public static List<Variant> of(String template, Map<String, String> values, String detour) {
        String[] templateSegments = template.substring(1).split("/");
        String[] segments = new String[templateSegments.length];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = fill(templateSegments[i], values);
        }
        String path = "/" + String.join("/", segments);
        List<Variant> out = new ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            out.add(new Variant("';' parameter on segment " + i, join(segments, i, segments[i] + ";x=1")));
            out.add(new Variant("empty ';' on segment " + i, join(segments, i, segments[i] + ";")));
            out.add(new Variant("percent-encoded first letter of segment " + i,
                    join(segments, i, encodeFirst(segments[i]))));
            if (!templateSegments[i].contains("{")) {
                out.add(new Variant("upper case segment " + i, join(segments, i, segments[i].toUpperCase(Locale.ROOT))));
            }
            out.add(new Variant("double slash before segment " + i, join(segments, i, "/" + segments[i])));
            if (i > 0) {
                String before = path.substring(0, offsetOf(segments, i) - 1);
                out.add(new Variant("encoded slash before segment " + i,
                        before + "%2F" + path.substring(offsetOf(segments, i))));
            }
        }
        out.add(new Variant("trailing slash", path + "/"));
        out.add(new Variant("dot segment", "/" + segments[0] + "/." + path.substring(segments[0].length() + 1)));
        out.add(new Variant("encoded dot segment", "/" + segments[0] + "/%2e" + path.substring(segments[0].length() + 1)));
        int last = path.lastIndexOf('/');
        out.add(new Variant("backslash before the last segment", path.substring(0, last) + "\\" + path.substring(last + 1)));
        if (detour != null && segments.length > 2) {
            // /v1/workspaces/<detour>/../<target>/…: a raw-URI check sees <detour>, a normaliser sees <target>
            out.add(new Variant("'..' from " + detour, join(segments, 2, detour + "/../" + segments[2])));
            out.add(new Variant("encoded '..' from " + detour, join(segments, 2, detour + "/%2e%2e/" + segments[2])));
        }
        return out;
    }

    /** The path a template stands for, its {@code {name}} variables replaced by {@code values}. */
    public static String fill(String template, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for path variable {" + m.group(1) + "} of " + template);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private static String join(String[] segments, int replaced, String replacement) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            path.append('/').append(i == replaced ? replacement : segments[i]);
        }
        return path.toString();
    }

    /** Where segment {@code index} starts in the path. */
    private static int offsetOf(String[] segments, int index) {
        int offset = 1;
        for (int i = 0; i < index; i++) {
            offset += segments[i].length() + 1;
        }
        return offset;
    }

    private static String encodeFirst(String segment) {
        return String.format("%%%02x", (int) segment.charAt(0)) + segment.substring(1);
    }

    /**
     * Sends one request with the path exactly as given and returns the status code.
     *
     * @param authorization the {@code Authorization} header value, or null for none
     * @param jsonBody      a body sent as application/json, or null for none
     */
    public static int send(int port, String method, String rawPath, String authorization, String jsonBody)
            throws IOException {
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(rawPath).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        if (jsonBody != null) {
            head.append("Content-Type: application/json\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                statusLine.append((char) c);
            }
            String[] parts = statusLine.toString().split(" ");
            if (parts.length < 2) {
                throw new IOException("no HTTP answer to " + method + " " + rawPath + ": '" + statusLine + "'");
            }
            return Integer.parseInt(parts[1]);
        }
    }
}
