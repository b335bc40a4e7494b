package com.messagingconnectors.webhook.ssrf;

import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.config.ssrf.BlockedAddressException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SsrfGuardTest {

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0                   | unspecified
            0.1.2.3                   | unspecified
            127.0.0.1                 | loopback
            127.255.255.254           | loopback
            10.0.0.1                  | private
            172.16.0.1                | private
            172.31.255.255            | private
            192.168.1.10              | private
            100.64.0.1                | shared CGNAT
            100.127.255.255           | shared CGNAT
            169.254.169.254           | link-local (cloud metadata)
            169.254.10.10             | link-local
            224.0.0.1                 | multicast
            239.255.255.250           | multicast
            255.255.255.255           | broadcast
            240.0.0.1                 | reserved
            192.0.0.8                 | reserved
            198.18.0.1                | reserved
            ::                        | unspecified
            ::1                       | loopback
            fe80::1                   | link-local
            febf:ffff::1              | link-local
            fc00::1                   | unique-local
            fd12:3456:789a::1         | unique-local
            fec0::1                   | private
            ff02::1                   | multicast
            ::ffff:127.0.0.1          | loopback
            ::ffff:169.254.169.254    | link-local (cloud metadata)
            ::ffff:10.1.2.3           | private
            ::ffff:a9fe:a9fe          | link-local (cloud metadata)
            ::127.0.0.1               | loopback
            ::10.0.0.1                | private
            64:ff9b::7f00:1           | loopback
            64:ff9b::a9fe:a9fe        | link-local (cloud metadata)
            2002:c0a8:0101::1         | private
            """)
    void refusesEveryNonPublicAddressClass(String literal, String expectedClass) throws Exception {
        SsrfGuard guard = new SsrfGuard(List.of());

        assertThatThrownBy(() -> guard.resolve(literal))
                .isInstanceOf(BlockedAddressException.class)
                .isInstanceOf(UnknownHostException.class)
                .satisfies(e -> assertThat(((BlockedAddressException) e).addressClass()).startsWith(expectedClass))
                .hasMessageContaining("refusing to call " + literal)
                .hasMessageContaining("connectors.webhook.ssrf.allow");
        assertThatThrownBy(() -> SsrfGuard.check(URI.create("https://" + bracketed(literal) + "/hook")))
                .isInstanceOf(BlockedAddressException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
            "169.253.255.255", "192.169.0.1", "223.255.255.255", "2606:4700:4700::1111", "2001:4860:4860::8888",
            "::ffff:8.8.8.8", "64:ff9b::808:808"})
    void letsPublicAddressesThrough(String literal) throws Exception {
        InetAddress[] resolved = new SsrfGuard(List.of()).resolve(literal);

        assertThat(resolved).extracting(InetAddress::getAddress).containsExactly(InetAddress.getByName(literal).getAddress());
        assertThatCode(() -> SsrfGuard.check(URI.create("https://" + bracketed(literal) + "/hook"))).doesNotThrowAnyException();
    }

    @Test
    void localhostIsRefusedThroughTheSystemResolver() {
        assertThatThrownBy(() -> new SsrfGuard(List.of()).resolve("localhost"))
                .isInstanceOf(BlockedAddressException.class)
                .hasMessageContaining("a loopback address");
        assertThatThrownBy(() -> SsrfGuard.check(URI.create("http://localhost:8080/hook")))
                .isInstanceOf(BlockedAddressException.class);
    }

    @Test
    void aDnsNameResolvingToAnInternalAddressIsRefusedEvenAmongPublicOnes() throws Exception {
        Map<String, InetAddress[]> dns = Map.of(
                "metadata.attacker.example", new InetAddress[] {InetAddress.getByName("169.254.169.254")},
                "mixed.attacker.example", new InetAddress[] {InetAddress.getByName("93.184.215.14"),
                        InetAddress.getByName("10.0.0.5")},
                "v6.attacker.example", new InetAddress[] {InetAddress.getByName("fd00::5")},
                "hooks.example.com", new InetAddress[] {InetAddress.getByName("93.184.215.14"),
                        InetAddress.getByName("2606:2800:21f:cb07:6820:80da:af6b:8b2c")});
        SsrfGuard guard = new SsrfGuard(List.of(), dns::get);

        assertThatThrownBy(() -> guard.resolve("metadata.attacker.example"))
                .hasMessage("refusing to call metadata.attacker.example: it resolves to 169.254.169.254, a link-local "
                        + "(cloud metadata) address (webhooks may only call public addresses; an operator can allow "
                        + "it with connectors.webhook.ssrf.allow)");
        assertThatThrownBy(() -> guard.resolve("mixed.attacker.example")).hasMessageContaining("10.0.0.5, a private");
        assertThatThrownBy(() -> guard.resolve("v6.attacker.example")).hasMessageContaining("unique-local");
        assertThat(guard.resolve("hooks.example.com")).hasSize(2);
    }

    @Test
    void theAllowListPermitsExactlyItsRanges() throws Exception {
        SsrfGuard guard = new SsrfGuard(List.of("127.0.0.1/32", " 10.20.0.0/16 ", "::1"));

        assertThat(guard.resolve("127.0.0.1")).hasSize(1);
        assertThat(guard.resolve("::1")).hasSize(1);
        assertThat(guard.resolve("10.20.255.1")).hasSize(1);
        assertThat(guard.resolve("::ffff:127.0.0.1")).hasSize(1);
        assertThatThrownBy(() -> guard.resolve("127.0.0.2")).isInstanceOf(BlockedAddressException.class);
        assertThatThrownBy(() -> guard.resolve("10.21.0.1")).isInstanceOf(BlockedAddressException.class);
        assertThatThrownBy(() -> guard.resolve("169.254.169.254")).isInstanceOf(BlockedAddressException.class);
    }

    @Test
    void aBadAllowListEntryIsAClearStartupError() {
        assertThatThrownBy(() -> new SsrfGuard(List.of("internal.example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'internal.example.com' in connectors.webhook.ssrf.allow is not a CIDR");
        assertThatThrownBy(() -> new SsrfGuard(List.of("10.0.0.0/33")))
                .hasMessageContaining("invalid prefix length (0-32)");
    }

    @Test
    void registrationCheckRejectsUrlsThatAreNotHttp() {
        assertThatThrownBy(() -> SsrfGuard.check(URI.create("ftp://hooks.example.com/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://");
        assertThatThrownBy(() -> SsrfGuard.check(URI.create("https://user:pw@1.1.1.1/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentials");
    }

    /**
     * A real HTTP client using the guard: the allowed local receiver redirects to the cloud metadata address, to
     * the IPv6 loopback and to a DNS name that resolves to another loopback address. Even with redirects enabled (the webhook client disables them anyway) the guard stops
     * the connection before it is opened.
     */
    @Test
    void aRedirectToAnInternalAddressIsNeverConnected() throws Exception {
        AtomicInteger internalHits = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/to-metadata", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.createContext("/to-ipv6-loopback", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://[::1]:" + server.getAddress().getPort() + "/internal");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.createContext("/to-internal-name", exchange -> {
            exchange.getResponseHeaders().add("Location",
                    "http://internal.attacker.example:" + server.getAddress().getPort() + "/internal");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.createContext("/internal", exchange -> {
            internalHits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        // like the local stack: only 127.0.0.1 allowed; "internal.attacker.example" is a DNS name for 127.0.0.2
        SsrfGuard guard = new SsrfGuard(List.of("127.0.0.1/32"), host -> host.equals("internal.attacker.example")
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

    private static String bracketed(String literal) {
        return literal.contains(":") ? "[" + literal + "]" : literal;
    }
}
