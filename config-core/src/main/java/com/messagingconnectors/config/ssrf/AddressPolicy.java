package com.messagingconnectors.config.ssrf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which addresses and ports a customer-supplied URL (webhook endpoint, Teams Workflows URL) may reach: public
 * addresses on ports 80 and 443 only, unless configuration says otherwise. JDK only, so integration-service checks a
 * URL at registration with {@link #checkUrl(URI)} and the senders' guarded HTTP client checks every resolution at
 * delivery with {@link #check(String, int, InetAddress[])}.
 *
 * <p>Refused addresses are the ranges of {@link #BLOCKED} (a table: loopback, private, CGNAT, link-local with the cloud
 * metadata addresses, the Azure wireserver, multicast, broadcast, reserved and documentation ranges, Teredo, local-use
 * NAT64, ...), every IPv6 form that embeds a refused IPv4 address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96,
 * NAT64 64:ff9b::/96, 6to4 2002::/16), and every IPv6 address outside global unicast 2000::/3.
 *
 * <p>Exceptions: {@code allowCidrs} (non-public ranges an operator vouches for), {@code allowedPorts} (ports besides 80
 * and 443), and local mode (the local stack and tests): loopback is allowed, on any port.
 */
public final class AddressPolicy {
    /** Ports every policy allows. */
    public static final Set<Integer> STANDARD_PORTS = Set.of(80, 443);

    /** Public addresses on ports 80 and 443 only. */
    public static final AddressPolicy PUBLIC_ONLY = new AddressPolicy(List.of(), List.of(), false);

    /** Refused ranges, most specific first: the first that contains an address names its class. */
    static final List<Range> BLOCKED = List.of(
            new Range("0.0.0.0/8", "unspecified (0.0.0.0/8)"),
            new Range("10.0.0.0/8", "private (RFC 1918)"),
            new Range("100.64.0.0/10", "shared CGNAT (100.64.0.0/10)"),
            new Range("127.0.0.0/8", "loopback"),
            new Range("168.63.129.16/32", "cloud platform (Azure wireserver)"),
            new Range("169.254.169.254/32", "link-local (cloud metadata)"),
            new Range("169.254.0.0/16", "link-local"),
            new Range("172.16.0.0/12", "private (RFC 1918)"),
            new Range("192.0.0.0/24", "reserved (IETF protocol assignments)"),
            new Range("192.0.2.0/24", "reserved (documentation)"),
            new Range("192.88.99.0/24", "reserved (6to4 relay anycast)"),
            new Range("192.168.0.0/16", "private (RFC 1918)"),
            new Range("198.18.0.0/15", "reserved (benchmarking)"),
            new Range("198.51.100.0/24", "reserved (documentation)"),
            new Range("203.0.113.0/24", "reserved (documentation)"),
            new Range("224.0.0.0/4", "multicast"),
            new Range("255.255.255.255/32", "broadcast"),
            new Range("240.0.0.0/4", "reserved (240.0.0.0/4)"),
            new Range("::/128", "unspecified (::)"),
            new Range("::1/128", "loopback"),
            new Range("::ffff:0:0:0/96", "IPv4-translated (::ffff:0:0:0/96)"),
            new Range("64:ff9b:1::/48", "local-use NAT64 (64:ff9b:1::/48)"),
            new Range("100::/64", "discard-only (100::/64)"),
            new Range("2001::/32", "Teredo tunnel (2001::/32)"),
            new Range("2001:2::/48", "reserved (benchmarking)"),
            new Range("2001:10::/28", "reserved (ORCHID)"),
            new Range("2001:db8::/32", "reserved (documentation)"),
            new Range("3fff::/20", "reserved (documentation)"),
            new Range("5f00::/16", "reserved (SRv6 SIDs)"),
            new Range("fc00::/7", "unique-local (fc00::/7)"),
            new Range("fe80::/10", "link-local"),
            new Range("fec0::/10", "private (site-local fec0::/10)"),
            new Range("ff00::/8", "multicast"));
    private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3", "the global unicast range");

    /** How a host name becomes addresses; the system resolver in production, a fake one in tests. */
    @FunctionalInterface
    public interface Resolver {
        Resolver SYSTEM = InetAddress::getAllByName;

        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<Cidr> allowed;
    private final Set<Integer> allowedPorts;
    private final boolean localMode;

    /**
     * @param allowCidrs   CIDRs (e.g. {@code 10.1.0.0/16}, {@code fd00::/8}) or single addresses that may be called
     *                     although not public
     * @param allowedPorts ports besides 80 and 443 that may be called
     * @param localMode    the local stack: loopback may be called, on any port
     * @throws IllegalArgumentException naming the entry that is no CIDR or no port
     */
    public AddressPolicy(Collection<String> allowCidrs, Collection<String> allowedPorts, boolean localMode) {
        List<Cidr> parsed = new ArrayList<>();
        for (String entry : allowCidrs == null ? List.<String>of() : allowCidrs) {
            if (entry != null && !entry.isBlank()) {
                parsed.add(Cidr.parse(entry.strip(), "connectors.ssrf.allow"));
            }
        }
        Set<Integer> ports = new TreeSet<>(STANDARD_PORTS);
        for (String entry : allowedPorts == null ? List.<String>of() : allowedPorts) {
            if (entry != null && !entry.isBlank()) {
                ports.add(parsePort(entry.strip()));
            }
        }
        this.allowed = List.copyOf(parsed);
        this.allowedPorts = Set.copyOf(ports);
        this.localMode = localMode;
    }

    /**
     * Checks a URL's form without resolving it: absolute http(s), a host, no user:password.
     *
     * @throws IllegalArgumentException saying what is wrong (without echoing the URL, which may carry a secret)
     */
    public static void checkForm(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the URL must start with https:// (or http://)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("the URL has no host");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("the URL must not carry credentials before the host");
        }
    }

    /** The port a URL calls: its own, or its scheme's default. */
    public static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** {@link #checkUrl(URI, Resolver)} with the system resolver. */
    public void checkUrl(URI uri) throws UnknownHostException {
        checkUrl(uri, Resolver.SYSTEM);
    }

    /**
     * Checks a URL at registration: its form, and every address its host resolves to with its port.
     *
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL with a host
     * @throws BlockedAddressException  when an address or the port may not be called
     * @throws UnknownHostException     when the host does not resolve (and the port is allowed)
     */
    public void checkUrl(URI uri, Resolver resolver) throws UnknownHostException {
        checkForm(uri);
        String host = bare(uri.getHost());
        int port = port(uri);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            if (!allowedPorts.contains(port)) {
                // a host that resolves nowhere is no loopback address either: its port is refused already
                throw BlockedAddressException.port(host, port, allowedPorts);
            }
            throw e;
        }
        check(host, port, addresses);
    }

    /**
     * Returns {@code addresses} when every one may be called on {@code port}; otherwise throws. All-or-nothing: a host
     * with one refused address is refused even if others are public, so DNS tricks cannot mix in an internal target.
     * The port is checked first: refusing it tells a caller nothing about what the host resolves to.
     */
    public InetAddress[] check(String host, int port, InetAddress[] addresses) throws BlockedAddressException {
        if (!allowedPorts.contains(port) && !(localMode && allLoopback(addresses))) {
            throw BlockedAddressException.port(host, port, allowedPorts);
        }
        return checkAll(host, addresses);
    }

    /** Like {@link #check} for the addresses only (no port known). */
    public InetAddress[] checkAll(String host, InetAddress[] addresses) throws BlockedAddressException {
        for (InetAddress address : addresses) {
            Optional<String> blocked = blockedClass(address);
            if (blocked.isPresent()) {
                throw BlockedAddressException.nonPublic(host, address.getHostAddress(), blocked.get());
            }
        }
        return addresses;
    }

    /** Why {@code address} may not be called (its class, e.g. "loopback"), or empty when it may. */
    public Optional<String> blockedClass(InetAddress address) {
        Optional<String> nonPublic = nonPublicClass(address);
        if (nonPublic.isEmpty() || isAllowed(address)) {
            return Optional.empty();
        }
        return nonPublic;
    }

    private boolean isAllowed(InetAddress address) {
        if (localMode && isLoopback(address)) {
            return true;
        }
        Inet4Address embedded = address instanceof Inet6Address v6 ? embeddedIpv4(v6.getAddress()) : null;
        for (Cidr cidr : allowed) {
            if (cidr.contains(address) || (embedded != null && cidr.contains(embedded))) {
                return true;
            }
        }
        return false;
    }

    private static boolean allLoopback(InetAddress[] addresses) {
        return Arrays.stream(addresses).allMatch(AddressPolicy::isLoopback);
    }

    private static boolean isLoopback(InetAddress address) {
        Inet4Address embedded = address instanceof Inet6Address v6 ? embeddedIpv4(v6.getAddress()) : null;
        return address.isLoopbackAddress() || (embedded != null && embedded.isLoopbackAddress());
    }

    /** The class of a non-public address, or empty for a public one; ignores the exceptions. */
    public static Optional<String> nonPublicClass(InetAddress address) {
        Optional<String> listed = listedClass(address);
        if (listed.isPresent() || address instanceof Inet4Address) {
            return listed;
        }
        Inet4Address embedded = embeddedIpv4(address.getAddress());
        if (embedded != null) {
            return listedClass(embedded).map(v4 -> v4 + " (embedded in IPv6)");
        }
        if (!GLOBAL_UNICAST_V6.contains(address)) {
            return Optional.of("reserved (outside IPv6 global unicast 2000::/3)");
        }
        return Optional.empty();
    }

    private static Optional<String> listedClass(InetAddress address) {
        return BLOCKED.stream().filter(range -> range.cidr().contains(address)).map(Range::addressClass).findFirst();
    }

    /**
     * The IPv4 address an IPv6 address stands for: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d),
     * NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::/48); null for any other IPv6 address.
     */
    static Inet4Address embeddedIpv4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        boolean first10Zero = allZero(b, 0, 10);
        boolean mapped = first10Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = first10Zero && b[10] == 0 && b[11] == 0;
        boolean nat64 = b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12);
        if (mapped || compatible || nat64) {
            return ipv4(Arrays.copyOfRange(b, 12, 16));
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return ipv4(Arrays.copyOfRange(b, 2, 6));
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Inet4Address ipv4(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' in connectors.ssrf.allowed-ports is not a port (1-65535)");
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** A refused range and the class it names. */
    record Range(Cidr cidr, String addressClass) {
        Range(String cidr, String addressClass) {
            this(Cidr.parse(cidr, "the refused ranges"), addressClass);
        }
    }

    /** An address range such as 10.0.0.0/8 or fd00::/8; a bare address is a range of one. */
    record Cidr(byte[] network, int prefixLength) {
        static Cidr parse(String text, String setting) {
            int slash = text.indexOf('/');
            String addressText = slash < 0 ? text : text.substring(0, slash);
            if (!addressText.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("'" + text + "' in " + setting + " is not a CIDR such as "
                        + "10.1.0.0/16 or fd00::/8 (host names are not allowed)");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(addressText).getAddress(); // a literal: no DNS lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' in " + setting + " is not an IP address or CIDR",
                        e);
            }
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("'" + text + "' in " + setting + " has an invalid prefix "
                            + "length (0-" + network.length * 8 + ")");
                }
            }
            return new Cidr(network, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }
}
