package com.messagingconnectors.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The local sandbox: receives what would go to Slack, Teams, Google Chat and webhook endpoints, records every request
 * and shows them (Google Chat's under {@code /googlechat}: {@link GoogleChatSandbox}). Its own paths: {@code GET /}
 * (page), {@code GET /api/requests[?path=/webhook]}, {@code DELETE /api/requests}, {@code GET /health}, and
 * {@code PUT /api/answers?path=/hooks/x&status=503} / {@code DELETE /api/answers?path=/hooks/x} to make one path fail
 * (and recover), as a broken customer endpoint would. Any other request is recorded and answered
 * {@code 200 {"ok":true}}, or with the status set for its path. Requests under {@value #WARM_UP_PATH} (the deliveries
 * {@code ./local-stack} sends through the path to warm it up before it says {@code all ready}) are answered
 * {@code 200 {"ok":true}} and only counted, so they never crowd the page or {@code /api/requests}:
 * {@code GET /api/warm-up} says how many arrived.
 */
public final class SandboxServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 8099;
    /** Recorded requests kept (the oldest are dropped), and the most paths told to fail at once. */
    static final int CAPACITY = 1000;
    /** The longest path that can be told to fail (a request line's path is rarely longer). */
    static final int MAX_ANSWER_PATH = 512;
    private static final Logger log = LoggerFactory.getLogger(SandboxServer.class);
    private static final ObjectMapper JSON = SandboxJson.MAPPER;

    /** Where {@code ./local-stack}'s warm-up deliveries go. */
    public static final String WARM_UP_PATH = "/warm-up";

    private final RequestLog requests = new RequestLog(CAPACITY);
    private final AtomicLong warmUpCount = new AtomicLong();
    /** path → the status it answers instead of 200 */
    private final Map<String, Integer> failing = new java.util.concurrent.ConcurrentHashMap<>();
    private final int requestedPort;
    private final byte[] page;
    private HttpServer server;
    private ExecutorService executor;

    public SandboxServer(int port) {
        this.requestedPort = port;
        this.page = readResource("/sandbox/index.html");
    }

    public synchronized SandboxServer start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 50);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", SandboxHttp.limited(this::handle));
        server.createContext(MicrosoftSandbox.PREFIX + "/", SandboxHttp.limited(new MicrosoftSandbox(requests)::handle));
        server.createContext(SlackSandbox.PREFIX, SandboxHttp.limited(new SlackSandbox(requests)::handle));
        server.createContext(GoogleChatSandbox.PREFIX, SandboxHttp.limited(new GoogleChatSandbox(requests,
                failing)::handle));
        server.start();
        log.info("sandbox ready at {} (page: {}/, API: {}/api/requests)", url(), url(), url());
        return this;
    }

    /** e.g. {@code http://127.0.0.1:8099}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * From now on, requests to {@code path} are answered {@code status} (e.g. 400, 503): a final status, 200..599
     * (a 1xx is no answer: the client would wait on for the real one). At most {@link #CAPACITY} paths at once.
     *
     * @throws IllegalArgumentException for a status out of range, or a path that is no sandbox path of at most
     *                                  {@link #MAX_ANSWER_PATH} characters
     * @throws IllegalStateException    when {@link #CAPACITY} other paths are already told to fail
     */
    public void answer(String path, int status) {
        String problem = pathProblem(path);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status=200..599 is required, was " + status);
        }
        synchronized (failing) {
            if (failing.size() >= CAPACITY && !failing.containsKey(path)) {
                throw new IllegalStateException(CAPACITY + " paths are already told to fail; DELETE /api/answers?path=… "
                        + "one of them first");
            }
            failing.put(path, status);
        }
    }

    /** Why {@code path} cannot be told to fail, or null when it can. */
    private static String pathProblem(String path) {
        if (path == null || !path.startsWith("/") || path.startsWith("/api/")) {
            return "path=/some/path is required (not under /api/)";
        }
        return path.length() > MAX_ANSWER_PATH ? "path must be at most " + MAX_ANSWER_PATH + " characters, was "
                + path.length() : null;
    }

    /** Requests to {@code path} are answered 200 again. */
    public void answerOk(String path) {
        failing.remove(path);
    }

    /** What was recorded, newest first. */
    public List<RecordedRequest> requests() {
        return requests.list(r -> true);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.close();
            server = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            switch (method + " " + path) {
                case "GET /" -> send(exchange, 200, "text/html; charset=utf-8", page);
                case "GET /health" -> sendJson(exchange, 200, JSON.createObjectNode().put("status", "UP"));
                case "GET /api/requests" -> sendJson(exchange, 200, list(exchange.getRequestURI()));
                case "DELETE /api/requests" ->
                        sendJson(exchange, 200, JSON.createObjectNode().put("cleared", requests.clear()));
                case "GET /favicon.ico" -> send(exchange, 404, "text/plain", new byte[0]);
                case "PUT /api/answers", "DELETE /api/answers" -> setAnswer(exchange, method);
                case "GET /api/warm-up" -> sendJson(exchange, 200, JSON.createObjectNode().put("received",
                        warmUpCount.get()));
                default -> {
                    if (path.equals(WARM_UP_PATH) || path.startsWith(WARM_UP_PATH + "/")) {
                        SandboxHttp.body(exchange); // read, within the same size limit, and dropped
                        warmUpCount.incrementAndGet();
                        sendJson(exchange, 200, JSON.createObjectNode().put("ok", true));
                    } else {
                        record(exchange);
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("sandbox failed to handle {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            throw e;
        }
    }

    private void record(HttpExchange exchange) throws IOException {
        byte[] body = SandboxHttp.body(exchange);
        String text = new String(body, StandardCharsets.UTF_8);
        boolean truncated = text.length() > RequestLog.MAX_BODY_CHARS;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        URI uri = exchange.getRequestURI();
        var request = new RecordedRequest(requests.nextId(), Instant.now(), exchange.getRequestMethod(), uri.getPath(),
                uri.getRawQuery(), headers, truncated ? text.substring(0, RequestLog.MAX_BODY_CHARS) : text, truncated);
        requests.add(request);
        String notificationId = request.header("webhook-id");
        log.info("received #{} {} {} ({} bytes){}", request.id(), request.method(), request.path(), body.length,
                notificationId == null ? "" : " webhook-id=" + notificationId);
        Integer status = failing.get(request.path());
        if (status == null) {
            sendJson(exchange, 200, JSON.createObjectNode().put("ok", true));
        } else {
            sendJson(exchange, status, JSON.createObjectNode().put("ok", false).put("error", "told to answer " + status));
        }
    }

    private void setAnswer(HttpExchange exchange, String method) throws IOException {
        Map<String, String> params = SandboxHttp.parameters(exchange.getRequestURI().getRawQuery());
        String path = params.get("path");
        String problem = pathProblem(path);
        if (problem != null) {
            sendJson(exchange, 400, JSON.createObjectNode().put("error", problem));
            return;
        }
        if (method.equals("DELETE")) {
            answerOk(path);
            sendJson(exchange, 200, JSON.createObjectNode().put("path", path).put("status", 200));
            return;
        }
        int status;
        try {
            status = Integer.parseInt(params.getOrDefault("status", ""));
            answer(path, status);
        } catch (IllegalArgumentException e) {
            sendJson(exchange, 400, JSON.createObjectNode().put("error", "status=200..599 is required"));
            return;
        } catch (IllegalStateException e) {
            sendJson(exchange, 409, JSON.createObjectNode().put("error", e.getMessage()));
            return;
        }
        sendJson(exchange, 200, JSON.createObjectNode().put("path", path).put("status", status));
    }

    private ArrayNode list(URI uri) {
        String pathFilter = SandboxHttp.parameters(uri.getRawQuery()).get("path");
        Predicate<RecordedRequest> filter = pathFilter == null ? r -> true : r -> r.path().equals(pathFilter);
        ArrayNode array = JSON.createArrayNode();
        for (RecordedRequest r : requests.list(filter)) {
            ObjectNode node = array.addObject()
                    .put("id", r.id())
                    .put("receivedAt", r.receivedAt().toString())
                    .put("method", r.method())
                    .put("path", r.path())
                    .put("query", r.query());
            ObjectNode headers = node.putObject("headers");
            r.headers().forEach((name, values) -> headers.put(name, String.join(", ", values)));
            node.put("body", r.body()).put("bodyTruncated", r.bodyTruncated());
        }
        return array;
    }

    private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        SandboxHttp.json(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        SandboxHttp.send(exchange, status, contentType, body);
    }

    private static byte[] readResource(String name) {
        try (InputStream in = SandboxServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].startsWith("--port=")) {
                port = Integer.parseInt(args[i].substring("--port=".length()));
            } else {
                System.err.println("usage: SandboxServer [--port 8099]");
                System.exit(2);
            }
        }
        SandboxServer sandbox;
        try {
            sandbox = new SandboxServer(port).start();
        } catch (java.net.BindException e) {
            System.err.println("sandbox: port " + port + " on 127.0.0.1 is already in use (" + e.getMessage() + ")");
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-shutdown"));
    }
}
