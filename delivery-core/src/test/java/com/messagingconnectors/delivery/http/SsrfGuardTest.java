package com.messagingconnectors.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.config.ssrf.BlockedAddressException;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;

class SsrfGuardTest {

    @Test
    void checksEveryAddressWithThePortAndPinsThem() throws Exception {
        InetAddress public1 = InetAddress.getByName("93.184.215.14");
        InetAddress public2 = InetAddress.getByName("2606:2800:21f:cb07:6820:80da:af6b:8b2c");
        SsrfGuard guard = new SsrfGuard(AddressPolicy.PUBLIC_ONLY, host -> switch (host) {
            case "hooks.example.com" -> new InetAddress[] {public1, public2};
            case "rebound.example.com" -> new InetAddress[] {public1, InetAddress.getByName("169.254.169.254")};
            default -> InetAddress.getAllByName(host);
        });

        assertThat(guard.resolve("hooks.example.com", 443))
                .containsExactly(new InetSocketAddress(public1, 443), new InetSocketAddress(public2, 443));
        assertThatThrownBy(() -> guard.resolve("rebound.example.com", 443))
                .isInstanceOf(BlockedAddressException.class).hasMessageContaining("cloud metadata")
                .message().doesNotContain("169.254.169.254");
        assertThatThrownBy(() -> guard.resolve("hooks.example.com", 25))
                .isInstanceOfSatisfying(BlockedAddressException.class, e -> assertThat(e.port()).isEqualTo(25));
        assertThatThrownBy(() -> guard.resolve("[::1]")).isInstanceOf(BlockedAddressException.class);
    }

    /**
     * A real HTTP client using the guard, with redirects on (the guarded client never follows them): the allowed local
     * receiver redirects to the cloud metadata address, to the IPv6 loopback and to a DNS name that resolves to
     * another loopback address. The guard stops every such connection before it is opened.
     */
    @Test
    void aRedirectToAnInternalAddressIsNeverConnected() throws Exception {
        AtomicInteger internalHits = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int port = server.getAddress().getPort();
        redirect(server, "/to-metadata", "http://169.254.169.254/latest/meta-data/");
        redirect(server, "/to-ipv6-loopback", "http://[::1]:" + port + "/internal");
        redirect(server, "/to-internal-name", "http://internal.attacker.example:" + port + "/internal");
        server.createContext("/internal", exchange -> {
            internalHits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + port;
        // only 127.0.0.1 on this port allowed; "internal.attacker.example" is a DNS name for 127.0.0.2
        AddressPolicy policy = new AddressPolicy(List.of("127.0.0.1/32"), List.of(Integer.toString(port)), false);
        SsrfGuard guard = new SsrfGuard(policy, host -> host.equals("internal.attacker.example")
                ? new InetAddress[] {InetAddress.getByName("127.0.0.2")} : InetAddress.getAllByName(host));
        try (CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(guard).build())
                .setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(true).build())
                .build()) {
            for (String path : List.of("/to-metadata", "/to-ipv6-loopback", "/to-internal-name")) {
                HttpPost post = new HttpPost(base + path);
                post.setEntity(new StringEntity("{}", ContentType.APPLICATION_JSON));
                assertThatThrownBy(() -> client.execute(post, response -> response.getCode()))
                        .as(path).isInstanceOf(BlockedAddressException.class);
            }
            // the allowed receiver itself is reachable through the same client
            int status = client.execute(new HttpPost(base + "/internal"), response -> response.getCode());
            assertThat(status).isEqualTo(200);
        } finally {
            server.stop(0);
        }
        assertThat(internalHits).as("only the direct call reached /internal").hasValue(1);
    }

    private static void redirect(HttpServer server, String path, String location) {
        server.createContext(path, exchange -> {
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
    }
}
