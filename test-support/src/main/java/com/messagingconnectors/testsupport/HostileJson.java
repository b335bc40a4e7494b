package com.messagingconnectors.testsupport;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of the bodies an attacker sends, for the fuzz properties of every attacker-facing endpoint: raw garbage
 * (empty, invalid UTF-8, BOMs, trailing garbage, 10,000-deep nesting, ...) and, to reach deep into validation, valid
 * documents with one field mutated (a hostile value of any type, the field removed, duplicated or joined by an
 * unknown one). Bodies are bytes, written by hand: no JSON library writes duplicate keys, raw lone surrogates or
 * broken UTF-8.
 */
public final class HostileJson {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** A request body; {@code description} is what a failing property prints (bodies can be megabytes). */
    public record Body(byte[] bytes, String description) {
        public static Body of(String text, String description) {
            return new Body(text.getBytes(StandardCharsets.UTF_8), description);
        }

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String text = text();
            return description + " (" + bytes.length + " bytes: "
                    + (text.length() > 300 ? text.substring(0, 300) + "…" : text) + ")";
        }
    }

    private HostileJson() {
    }

    /**
     * Raw JSON tokens of every type and edge: the value a mutated field gets. Each family is equally likely, so the
     * rare ones (1e400, a lone surrogate, a year 10000) are tried often.
     */
    public static Arbitrary<byte[]> hostileValues() {
        return Arbitraries.oneOf(
                tokens("0", "-0", "-0.0", "1", "-1", "0.5", "1e400", "-1e400", "1e-400", "1E308",
                        "1.7976931348623157E309", "2147483648", "-2147483649", "9223372036854775808",
                        "-9223372036854775809", "1" + "0".repeat(300), "-" + "9".repeat(300),
                        "0." + "0".repeat(300) + "1", "1" + "0".repeat(1200), "1e2147483648"),
                tokens("NaN", "Infinity", "-Infinity", "01", "1.", ".5", "+1", "0x10", "\"unterminated", "{\"a\":",
                        "[1,]", "{\"a\" 1}", "'single'", "tru", "nul"),
                tokens("\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e400\"", "\"\"", "\" \"", "\"\\t\\n\"",
                        "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udfff\"", "\"x\\ud83d\"",
                        "\"\\ude00x\"", "\"\\ud83d\\ude00\"", "\"\\u202e\\u0644\\u0639\"",
                        "\"<script>alert(1)</script>\"", "\"${jndi:ldap://127.0.0.1/a}\"", "\"%s%n\""),
                tokens("\"javascript:alert(1)\"", "\"https://\"", "\"http://[::1\"", "\"https://a b.example.com/\"",
                        "\"https://example.com/\\u00e9\"", "\"https://user@example.com:99999/\"", "\"HTTPS://EXAMPLE.COM\"",
                        "\"https://example.com/\\ud800\"", "\"http://%zz\"", "\"https:///x\""),
                tokens("\"2026-03-01T12:00:00Z\"", "\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01T00:00:00Z\"",
                        "\"+10000-01-01T00:00:00Z\"", "\"-0001-01-01T00:00:00Z\"", "\"0000-01-01T00:00:00Z\"",
                        "\"9999-12-31T23:59:59.999999999-18:00\"", "\"2026-02-30T00:00:00Z\"",
                        "\"2026-03-01T12:00:00+18:00\"", "\"2026-03-01T12:00:00\"", "\"1970-01-01T00:00:00Z\""),
                tokens("null", "true", "false", "[]", "{}", "[null]", "[1,\"a\",{}]", "{\"a\":1}", "{\"\":null}",
                        "[[[[[[]]]]]]", "\"3f2b6c1e-8a4d-4c1b-9e2f-5a6b7c8d9e0f\"", "\"report.completed\"", "\"a.b\"",
                        "\"ws_x\"", "\"alert\"", "\"info\""),
                hugeStrings(),
                deepNesting().map(HostileJson::utf8),
                brokenUtf8Strings(),
                Arbitraries.strings().ofMaxLength(40).map(s -> utf8(quote(s))),
                Arbitraries.strings().all().ofMaxLength(12).map(HostileJson::rawString),
                Arbitraries.doubles().map(d -> utf8(Double.toString(d))),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(30).negate(),
                        java.math.BigInteger.TEN.pow(30)).map(i -> utf8(i.toString())));
    }

    private static Arbitrary<byte[]> tokens(String... tokens) {
        return Arbitraries.of(tokens).map(HostileJson::utf8);
    }

    /** Arrays and objects nested around the parsers' depth limits (Jackson's default is 1,000) and far beyond. */
    public static Arbitrary<String> deepNesting() {
        Arbitrary<Integer> depth = Arbitraries.oneOf(Arbitraries.of(2, 64, 500, 996, 997, 998, 999, 1000, 1001, 10_000),
                Arbitraries.integers().between(1, 2_000));
        return Combinators.combine(depth, Arbitraries.of('[', '{')).as((n, open) -> open == '['
                ? "[".repeat(n) + "]".repeat(n)
                : "{\"a\":".repeat(n) + "1" + "}".repeat(n));
    }

    /** Strings from 1 KB to 1.2 MB (every size limit met from both sides; below the 2 MB a server drains before answering). */
    public static Arbitrary<byte[]> hugeStrings() {
        return Combinators.combine(Arbitraries.of(1_000, 1_001, 4_096, 60_000, 70_000, 300_000),
                        Arbitraries.of("a", "é", "😀", " "))
                .as((n, unit) -> utf8("\"" + unit.repeat(n) + "\""));
    }

    /** A JSON string whose UTF-8 is broken: lone surrogates encoded raw, overlong forms, stray bytes, truncation. */
    public static Arbitrary<byte[]> brokenUtf8Strings() {
        return Arbitraries.of("eda080", "edbfbf", "c0af", "e080af", "f4908080", "ff", "fe", "80", "c328", "e282",
                        "f09f98", "c3", "00", "1f", "7f")
                .map(hex -> concat(utf8("\"ok"), HexFormat.of().parseHex(hex), utf8("ok\"")));
    }

    /**
     * Whole bodies that are not a well-formed JSON document of the endpoint's shape (or are, in an odd encoding):
     * empty, whitespace, scalars, BOMs, UTF-16, trailing garbage, two documents, truncation, deep nesting, random
     * bytes. {@code valid} is a document of the endpoint, to wrap and truncate.
     */
    public static Arbitrary<Body> garbage(ObjectNode valid) {
        String text = write(valid);
        return Arbitraries.oneOf(
                Arbitraries.of(
                        Body.of("", "empty body"),
                        Body.of("   \n\t", "whitespace only"),
                        Body.of("null", "null"), Body.of("[]", "empty array"), Body.of("\"event\"", "a string"),
                        Body.of("42", "a number"), Body.of("{}", "empty object"),
                        Body.of(text + "x", "trailing garbage"), Body.of(text + text, "two documents"),
                        Body.of(text + "]", "trailing bracket"), Body.of("[" + text + "]", "wrapped in an array"),
                        Body.of(text.substring(0, text.length() / 2), "truncated"),
                        Body.of(text.replace('"', '\''), "single quotes"),
                        Body.of("{" + text.substring(1).replaceFirst("\"", "") , "unquoted first key"),
                        Body.of("/* c */" + text, "comment"),
                        new Body(concat(HexFormat.of().parseHex("efbbbf"), utf8(text)), "UTF-8 BOM"),
                        new Body(concat(HexFormat.of().parseHex("feff"), text.getBytes(StandardCharsets.UTF_16BE)),
                                "UTF-16BE with BOM"),
                        new Body(text.getBytes(StandardCharsets.UTF_16LE), "UTF-16LE"),
                        new Body(text.getBytes(StandardCharsets.ISO_8859_1), "Latin-1")),
                deepNesting().map(s -> Body.of(s, "deep nesting")),
                hostileValues().map(v -> new Body(v, "a bare value")),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(b -> new Body(b, "random bytes")));
    }

    /**
     * {@code valid} with one field changed: at {@code paths} (dotted, into nested objects) the value replaced by a
     * hostile one, the field removed, written twice (duplicate key) or joined by an unknown sibling.
     */
    public static Arbitrary<Body> mutations(ObjectNode valid, List<String> paths) {
        Arbitrary<String> path = Arbitraries.of(paths.stream().filter(p -> !p.contains(".") || at(valid, p))
                .toList());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Combinators.combine(path, hostileValues())
                        .as((p, v) -> new Body(render(valid, p, Edit.REPLACE, v), p + " = " + preview(v)))),
                net.jqwik.api.Tuple.of(1, path.map(p -> new Body(render(valid, p, Edit.REMOVE, null), p + " removed"))),
                net.jqwik.api.Tuple.of(1, Combinators.combine(path, hostileValues())
                        .as((p, v) -> new Body(render(valid, p, Edit.DUPLICATE, v), p + " duplicated as " + preview(v)))),
                net.jqwik.api.Tuple.of(1, Combinators.combine(path, hostileValues())
                        .as((p, v) -> new Body(render(valid, p, Edit.SIBLING, v), "unknown field beside " + p + ": " + preview(v)))));
    }

    /** Valid documents, their mutations (most tries: they get furthest into validation) and garbage. */
    public static Arbitrary<Body> bodies(List<ObjectNode> valid, List<String> paths) {
        Arbitrary<ObjectNode> sample = Arbitraries.of(valid);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, sample.map(v -> Body.of(write(v), "valid"))),
                net.jqwik.api.Tuple.of(6, sample.flatMap(v -> mutations(v, paths))),
                net.jqwik.api.Tuple.of(2, sample.flatMap(HostileJson::garbage)));
    }

    /**
     * Content-Type headers: mostly application/json (so the body is what is tested), else wrong, odd or missing
     * (null).
     */
    public static Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("application/json")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("application/json; charset=utf-8",
                        "application/json; charset=utf-16", "APPLICATION/JSON", "application/problem+json",
                        "application/vnd.api+json", "application/*", "*/*", "text/plain", "text/json",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
                        "application/json;;", "application/json; charset=\"", "json", "/").injectNull(0.2)));
    }

    private static boolean at(JsonNode node, String path) {
        return !node.at("/" + path.replace('.', '/')).isMissingNode();
    }

    /** The dotted paths of every field of {@code node}, nested objects included (e.g. payload.rowCount). */
    public static List<String> paths(JsonNode node) {
        List<String> out = new ArrayList<>();
        collectPaths(node, "", out);
        return out;
    }

    private static void collectPaths(JsonNode node, String prefix, List<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = prefix + field.getKey();
            out.add(path);
            if (field.getValue().isObject()) {
                collectPaths(field.getValue(), path + ".", out);
            }
        }
    }

    private enum Edit { REPLACE, REMOVE, DUPLICATE, SIBLING }

    /** {@code node} as JSON bytes with one edit at {@code path}; a path not present is added (REPLACE). */
    static byte[] render(JsonNode node, String path, Edit edit, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        renderObject(node, path, edit, value, out);
        return out.toByteArray();
    }

    private static void renderObject(JsonNode node, String path, Edit edit, byte[] value, ByteArrayOutputStream out) {
        String head = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
        String rest = path.contains(".") ? path.substring(path.indexOf('.') + 1) : null;
        out.writeBytes(utf8("{"));
        boolean first = true;
        boolean seen = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            boolean target = field.getKey().equals(head);
            seen |= target;
            if (target && rest == null && edit == Edit.REMOVE) {
                continue;
            }
            first = comma(first, out);
            out.writeBytes(utf8(quote(field.getKey()) + ":"));
            if (target && rest != null && field.getValue().isObject()) {
                renderObject(field.getValue(), rest, edit, value, out);
            } else if (target && rest == null && edit == Edit.REPLACE) {
                out.writeBytes(value);
            } else {
                out.writeBytes(utf8(write(field.getValue())));
            }
            if (target && rest == null && edit == Edit.DUPLICATE) {
                out.writeBytes(utf8("," + quote(field.getKey()) + ":"));
                out.writeBytes(value);
            }
            if (target && rest == null && edit == Edit.SIBLING) {
                out.writeBytes(utf8("," + quote("zz" + field.getKey()) + ":"));
                out.writeBytes(value);
            }
        }
        if (!seen && rest == null && edit == Edit.REPLACE) {
            comma(first, out);
            out.writeBytes(utf8(quote(head) + ":"));
            out.writeBytes(value);
        }
        out.writeBytes(utf8("}"));
    }

    private static boolean comma(boolean first, ByteArrayOutputStream out) {
        if (!first) {
            out.writeBytes(utf8(","));
        }
        return false;
    }

    /** A JSON string literal of {@code s} with no escaping of non-ASCII: raw surrogates stay raw (as '?' in UTF-8). */
    private static byte[] rawString(String s) {
        return utf8("\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }

    public static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The start of a raw token, for failure reports. */
    private static String preview(byte[] token) {
        String text = new String(token, 0, Math.min(token.length, 60), StandardCharsets.UTF_8);
        return token.length > 60 ? text + "… (" + token.length + " bytes)" : text;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
