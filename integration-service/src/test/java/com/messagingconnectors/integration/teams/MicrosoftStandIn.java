package com.messagingconnectors.integration.teams;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for the Microsoft identity platform's token endpoint and the two Graph calls of the pickers (JDK
 * HttpServer). Each test sets what it answers and reads what it received.
 */
final class MicrosoftStandIn implements AutoCloseable {
    record Received(String method, String path, String query, String authorization, String body) {
    }

    record Answer(int status, String json) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile Answer token = new Answer(200, "{}");
    volatile Answer joinedTeams = new Answer(200, "{\"value\":[]}");
    volatile Answer channels = new Answer(200, "{\"value\":[]}");
    private final HttpServer server;

    MicrosoftStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/login", exchange -> answer(exchange, token));
        server.createContext("/graph/v1.0/me/joinedTeams", exchange -> answer(exchange, joinedTeams));
        server.createContext("/graph/v1.0/teams", exchange -> answer(exchange, channels));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> to(String pathPart) {
        return received.stream().filter(r -> r.path().contains(pathPart)).toList();
    }

    private void answer(HttpExchange exchange, Answer answer) throws IOException {
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        byte[] body = answer.json().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
