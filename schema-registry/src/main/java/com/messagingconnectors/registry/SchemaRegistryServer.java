package com.messagingconnectors.registry;

import com.messagingconnectors.schemas.Topics;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small Confluent-compatible schema registry for the local stack and the tests: the REST subset the project's
 * serde, Confluent's serializers and @kafkajs/confluent-schema-registry use, with its state in the compacted
 * Kafka topic {@code _schemas}. A single instance per topic. Production runs Confluent Schema Registry (or
 * Karapace, Apicurio, Redpanda) instead, see README.md.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);

    private final String bootstrapServers;
    private final String host;
    private final int requestedPort;
    private final String topic;
    private final SchemaStore store;
    private BasicAuthUsers users;
    private SSLContext tls;
    private HttpServer http;
    private ExecutorService executor;

    /** Serves on 127.0.0.1; port 0 picks a free port (see {@link #url()}). */
    public SchemaRegistryServer(String kafkaBootstrapServers, int port) {
        this(kafkaBootstrapServers, "127.0.0.1", port, (short) 1);
    }

    public SchemaRegistryServer(String kafkaBootstrapServers, String host, int port, short replicationFactor) {
        this(kafkaBootstrapServers, host, port, replicationFactor, Topics.SCHEMAS);
    }

    /**
     * With another store topic than {@code _schemas}: lets tests run a registry of their own (e.g. one requiring
     * authentication) beside the shared one, or restart one without sharing its state.
     */
    public SchemaRegistryServer(String kafkaBootstrapServers, String host, int port, short replicationFactor, String topic) {
        this.bootstrapServers = kafkaBootstrapServers;
        this.host = host;
        this.requestedPort = port;
        this.topic = topic;
        this.store = new SchemaStore(kafkaBootstrapServers, topic, replicationFactor);
    }

    /**
     * Requires HTTP basic authentication with one of {@code users} ({@code user:password[,user:password…]}) on every
     * request but {@code GET /health}. Call before {@link #start()}.
     */
    public SchemaRegistryServer requireBasicAuth(String users) {
        this.users = BasicAuthUsers.parse(users);
        return this;
    }

    /** Serves HTTPS with the key and certificate of {@code context}. Call before {@link #start()}. */
    public SchemaRegistryServer tls(SSLContext context) {
        this.tls = context;
        return this;
    }

    /** Reads {@code _schemas} to its end, then starts answering HTTP. */
    public synchronized SchemaRegistryServer start() {
        try {
            store.start();
            if (tls != null) {
                HttpsServer https = HttpsServer.create(new InetSocketAddress(host, requestedPort), 64);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                http = https;
            } else {
                http = HttpServer.create(new InetSocketAddress(host, requestedPort), 64);
            }
            executor = Executors.newVirtualThreadPerTaskExecutor();
            http.setExecutor(executor);
            http.createContext("/", new RegistryHttpHandler(store, users));
            http.start();
        } catch (IOException e) {
            close();
            throw new IllegalStateException("schema registry cannot listen on " + host + ":" + requestedPort + ": " + e, e);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("schema registry cannot load " + topic + " from Kafka at "
                    + bootstrapServers + ": " + e, e);
        }
        log.info("Schema registry ready at {} (schemas in topic {} on {}{})", url(), topic, bootstrapServers,
                users == null ? "; no authentication" : "; basic authentication required");
        return this;
    }

    /** Base URL, e.g. http://127.0.0.1:8081. */
    public String url() {
        if (http == null) {
            throw new IllegalStateException("schema registry is not started");
        }
        return (tls != null ? "https://" : "http://") + host + ":" + http.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.stop(0);
            http = null;
        }
        if (executor != null) {
            executor.close();
            executor = null;
        }
        store.close();
    }

    /**
     * {@code --port} (default 8081), {@code --bootstrap-servers} (default 127.0.0.1:9092), {@code --host}
     * (default 127.0.0.1), {@code --replication-factor} of {@code _schemas} when it is created (default 1).
     * Environment {@code REGISTRY_BASIC_AUTH_USERS=user:password[,…]} requires basic authentication.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = 8081;
        String bootstrap = "127.0.0.1:9092";
        String host = "127.0.0.1";
        short replicationFactor = 1;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : (i + 1 < args.length ? args[++i] : "");
            switch (name) {
                case "--port" -> port = Integer.parseInt(value);
                case "--bootstrap-servers" -> bootstrap = value;
                case "--host" -> host = value;
                case "--replication-factor" -> replicationFactor = Short.parseShort(value);
                default -> {
                    System.err.println("unknown option " + arg + "; usage: SchemaRegistryServer [--port 8081] "
                            + "[--bootstrap-servers 127.0.0.1:9092] [--host 127.0.0.1] [--replication-factor 1]");
                    System.exit(2);
                }
            }
        }
        SchemaRegistryServer server = new SchemaRegistryServer(bootstrap, host, port, replicationFactor);
        String users = System.getenv("REGISTRY_BASIC_AUTH_USERS");
        if (users != null && !users.isBlank()) {
            server.requireBasicAuth(users);
        }
        server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "schema-registry-shutdown"));
        // One line on stdout too, for scripts waiting on it even without a logging backend.
        System.out.println("Schema registry ready at " + server.url());
        stopped.await();
    }
}
