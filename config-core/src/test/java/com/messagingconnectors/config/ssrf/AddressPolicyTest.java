package com.messagingconnectors.config.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
    static final AddressPolicy POLICY = AddressPolicy.PUBLIC_ONLY;

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
            100.100.100.200           | shared CGNAT
            100.127.255.255           | shared CGNAT
            168.63.129.16             | cloud platform (Azure wireserver)
            169.254.169.254           | link-local (cloud metadata)
            169.254.10.10             | link-local
            192.0.0.8                 | reserved (IETF
            192.0.2.1                 | reserved (documentation)
            192.88.99.1               | reserved (6to4 relay
            198.18.0.1                | reserved (benchmarking)
            198.19.255.255            | reserved (benchmarking)
            198.51.100.7              | reserved (documentation)
            203.0.113.9               | reserved (documentation)
            224.0.0.1                 | multicast
            239.255.255.250           | multicast
            240.0.0.1                 | reserved (240
            255.255.255.255           | broadcast
            ::                        | unspecified
            ::1                       | loopback
            fe80::1                   | link-local
            febf:ffff::1              | link-local
            fc00::1                   | unique-local
            fd00:ec2::254             | unique-local
            fec0::1                   | private (site-local
            ff02::1                   | multicast
            ::ffff:127.0.0.1          | loopback
            ::ffff:169.254.169.254    | link-local (cloud metadata)
            ::ffff:a9fe:a9fe          | link-local (cloud metadata)
            ::ffff:10.1.2.3           | private
            ::ffff:0:7f00:1           | IPv4-translated
            ::ffff:0:808:808          | IPv4-translated
            ::127.0.0.1               | loopback (embedded in IPv6)
            ::10.0.0.1                | private (RFC 1918) (embedded in IPv6)
            64:ff9b::7f00:1           | loopback (embedded in IPv6)
            64:ff9b::a9fe:a9fe        | link-local (cloud metadata) (embedded in IPv6)
            64:ff9b::a83f:8110        | cloud platform (Azure wireserver) (embedded in IPv6)
            64:ff9b:1::808:808        | local-use NAT64
            64:ff9b:1:ffff::1         | local-use NAT64
            2002:c0a8:0101::1         | private (RFC 1918) (embedded in IPv6)
            2002:7f00:1::             | loopback (embedded in IPv6)
            2001::1                   | Teredo
            2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo
            2001:db8::1               | reserved (documentation)
            2001:2::1                 | reserved (benchmarking)
            2001:10::1                | reserved (ORCHID)
            3fff::1                   | reserved (documentation)
            100::1                    | discard-only
            5f00::1                   | reserved (SRv6
            ::2:0:0:1                 | reserved (outside IPv6 global unicast
            64:ff9b:2::1              | reserved (outside IPv6 global unicast
            4000::1                   | reserved (outside IPv6 global unicast
            """)
    void refusesEveryNonPublicRange(String literal, String expectedClass) {
        InetAddress address = literal(literal);

        assertThat(AddressPolicy.nonPublicClass(address)).hasValueSatisfying(c -> assertThat(c).startsWith(expectedClass));
        assertThatThrownBy(() -> POLICY.checkUrl(URI.create("https://" + bracketed(literal) + "/hook")))
                .isInstanceOfSatisfying(BlockedAddressException.class, e -> {
                    assertThat(e.addressClass()).startsWith(expectedClass);
                    assertThat(e.portRefused()).isFalse();
                })
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("non-public address")
                .hasMessageContaining("connectors.ssrf.allow");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
            "168.63.129.15", "168.63.129.17", "169.253.255.255", "192.169.0.1", "198.20.0.1", "223.255.255.255",
            "2606:4700:4700::1111", "2001:4860:4860::8888", "2001:1::1", "::ffff:8.8.8.8", "64:ff9b::808:808",
            "2002:808:808::1"})
    void letsPublicAddressesThrough(String literal) {
        assertThat(AddressPolicy.nonPublicClass(literal(literal))).isEmpty();
        assertThatCode(() -> POLICY.checkUrl(URI.create("https://" + bracketed(literal) + "/hook")))
                .doesNotThrowAnyException();
    }

    @Test
    void theMessageNamesTheHostButNeverTheResolvedAddress() {
        Map<String, InetAddress[]> dns = Map.of("db.internal.example", new InetAddress[] {literal("10.12.13.14")},
                "v6.internal.example", new InetAddress[] {literal("64:ff9b::a0c:d0e")});

        assertThatThrownBy(() -> POLICY.checkUrl(URI.create("https://db.internal.example/x"), dns::get))
                .hasMessage("refusing to call db.internal.example: it resolves to a non-public address (private "
                        + "(RFC 1918)); only public addresses are called unless an operator allows the range with "
                        + "connectors.ssrf.allow")
                .satisfies(e -> assertThat(((BlockedAddressException) e).address()).isEqualTo("10.12.13.14"));
        assertThatThrownBy(() -> POLICY.checkUrl(URI.create("https://v6.internal.example/x"), dns::get))
                .hasMessageContaining("private (RFC 1918) (embedded in IPv6)")
                .message().doesNotContain("10.12.13.14").doesNotContain("a0c:d0e");
    }

    @Test
    void aNameResolvingToOneInternalAddressAmongPublicOnesIsRefused() throws Exception {
        Map<String, InetAddress[]> dns = Map.of(
                "mixed.attacker.example", new InetAddress[] {literal("93.184.215.14"), literal("10.0.0.5")},
                "v6.attacker.example", new InetAddress[] {literal("fd00::5")},
                "hooks.example.com", new InetAddress[] {literal("93.184.215.14"),
                        literal("2606:2800:21f:cb07:6820:80da:af6b:8b2c")});

        assertThatThrownBy(() -> POLICY.checkUrl(URI.create("https://mixed.attacker.example/"), dns::get))
                .hasMessageContaining("private");
        assertThatThrownBy(() -> POLICY.checkUrl(URI.create("https://v6.attacker.example/"), dns::get))
                .hasMessageContaining("unique-local");
        POLICY.checkUrl(URI.create("https://hooks.example.com/"), dns::get);
    }

    @Test
    void localhostIsRefusedThroughTheSystemResolver() {
        assertThatThrownBy(() -> POLICY.checkUrl(URI.create("https://localhost/hook")))
                .isInstanceOf(BlockedAddressException.class).hasMessageContaining("(loopback)");
    }

    @Test
    void portsOtherThan80And443AreRefusedUnlessAllowed() throws Exception {
        Map<String, InetAddress[]> dns = Map.of("hooks.example.com", new InetAddress[] {literal("93.184.215.14")});

        POLICY.checkUrl(URI.create("https://hooks.example.com/"), dns::get);
        POLICY.checkUrl(URI.create("http://hooks.example.com:80/"), dns::get);
        POLICY.checkUrl(URI.create("http://hooks.example.com:443/"), dns::get);
        for (String url : List.of("https://hooks.example.com:8443/", "http://hooks.example.com:6379/",
                "https://hooks.example.com:22/")) {
            assertThatThrownBy(() -> POLICY.checkUrl(URI.create(url), dns::get)).as(url)
                    .isInstanceOfSatisfying(BlockedAddressException.class, e -> assertThat(e.portRefused()).isTrue())
                    .hasMessageContaining("only ports [80, 443]")
                    .hasMessageContaining("connectors.ssrf.allowed-ports");
        }
        // a name that does not resolve (yet) is refused for its port all the same
        assertThatThrownBy(() -> POLICY.checkUrl(URI.create("https://unknown.invalid:8443/"),
                host -> { throw new UnknownHostException(host); }))
                .isInstanceOfSatisfying(BlockedAddressException.class, e -> assertThat(e.port()).isEqualTo(8443));

        AddressPolicy withPort = new AddressPolicy(List.of(), List.of("8443", " 9000 "), false);
        withPort.checkUrl(URI.create("https://hooks.example.com:8443/"), dns::get);
        withPort.checkUrl(URI.create("https://hooks.example.com:9000/"), dns::get);
        assertThatThrownBy(() -> withPort.checkUrl(URI.create("https://hooks.example.com:8080/"), dns::get))
                .hasMessageContaining("only ports [80, 443, 8443, 9000]");
    }

    @Test
    void theAllowListPermitsExactlyItsRangesOnTheAllowedPorts() throws Exception {
        AddressPolicy policy = new AddressPolicy(List.of("127.0.0.1/32", " 10.20.0.0/16 ", "::1"), List.of(), false);

        assertThat(policy.check("h", 443, new InetAddress[] {literal("127.0.0.1")})).hasSize(1);
        assertThat(policy.check("h", 443, new InetAddress[] {literal("::1")})).hasSize(1);
        assertThat(policy.check("h", 80, new InetAddress[] {literal("10.20.255.1")})).hasSize(1);
        assertThat(policy.check("h", 443, new InetAddress[] {literal("::ffff:127.0.0.1")})).hasSize(1);
        assertThat(policy.check("h", 443, new InetAddress[] {literal("64:ff9b::a14:1")})).hasSize(1);
        for (String refused : List.of("127.0.0.2", "10.21.0.1", "169.254.169.254")) {
            assertThatThrownBy(() -> policy.check("h", 443, new InetAddress[] {literal(refused)})).as(refused)
                    .isInstanceOf(BlockedAddressException.class);
        }
        // allowed addresses still keep to the allowed ports
        assertThatThrownBy(() -> policy.check("h", 8080, new InetAddress[] {literal("10.20.0.1")}))
                .isInstanceOfSatisfying(BlockedAddressException.class, e -> assertThat(e.portRefused()).isTrue());
    }

    @Test
    void localModeAllowsLoopbackOnAnyPortAndNothingElse() throws Exception {
        AddressPolicy local = new AddressPolicy(List.of(), List.of(), true);

        local.checkUrl(URI.create("http://127.0.0.1:8099/hooks/general"));
        local.checkUrl(URI.create("http://localhost:8099/hooks/general"));
        local.checkUrl(URI.create("http://[::1]:1234/x"));
        assertThatThrownBy(() -> local.checkUrl(URI.create("http://10.0.0.1/x"))).hasMessageContaining("private");
        assertThatThrownBy(() -> local.checkUrl(URI.create("http://10.0.0.1:8099/x")))
                .hasMessageContaining("on port 8099");
        assertThatThrownBy(() -> local.checkUrl(URI.create("http://169.254.169.254/latest/meta-data")))
                .hasMessageContaining("cloud metadata");
        assertThatThrownBy(() -> local.check("h", 8099, new InetAddress[] {literal("93.184.215.14")}))
                .hasMessageContaining("on port 8099");
    }

    @Test
    void badSettingsAreClearStartupErrors() {
        assertThatThrownBy(() -> new AddressPolicy(List.of("internal.example.com"), List.of(), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'internal.example.com' in connectors.ssrf.allow is not a CIDR");
        assertThatThrownBy(() -> new AddressPolicy(List.of("10.0.0.0/33"), List.of(), false))
                .hasMessageContaining("invalid prefix length (0-32)");
        assertThatThrownBy(() -> new AddressPolicy(List.of(), List.of("http"), false))
                .hasMessage("'http' in connectors.ssrf.allowed-ports is not a port (1-65535)");
        assertThatThrownBy(() -> new AddressPolicy(List.of(), List.of("70000"), false))
                .hasMessageContaining("'70000' in connectors.ssrf.allowed-ports");
    }

    @Test
    void urlsThatAreNotPlainHttpAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> POLICY.checkUrl(URI.create("ftp://hooks.example.com/x?sig=s3cr3t")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://")
                .message().doesNotContain("s3cr3t");
        assertThatThrownBy(() -> POLICY.checkUrl(URI.create("https://user:pw@1.1.1.1/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentials")
                .message().doesNotContain("pw");
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static String bracketed(String literal) {
        return literal.contains(":") ? "[" + literal + "]" : literal;
    }
}
