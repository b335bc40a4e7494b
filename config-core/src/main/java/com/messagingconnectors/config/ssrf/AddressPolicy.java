package com.messagingconnectors.config.ssrf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which IP addresses a webhook may call: only public ones, unless an operator's allow-list (CIDRs) says
 * otherwise. Dependency-free (JDK only) so the control plane can check an endpoint URL at registration with
 * {@link #check(URI)} and webhook-sender can check every resolution at delivery (its SsrfGuard).
 *
 * <p>Refused: unspecified (0.0.0.0/8, ::), loopback (127/8, ::1), private (10/8, 172.16/12, 192.168/16,
 * fec0::/10), shared CGNAT space (100.64/10), link-local (169.254/16 with the cloud metadata address
 * 169.254.169.254, fe80::/10), unique-local (fc00::/7), multicast (224/4, ff00::/8), reserved (240/4) and
 * broadcast (255.255.255.255), IETF protocol assignments (192.0.0/24), benchmarking (198.18/15) and every IPv6 form
 * that embeds one of those IPv4 addresses (IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96,
 * 6to4 2002::/16).
 */
public final class AddressPolicy {
    private final List<Cidr> allowed;

    /** A policy without exceptions: only public addresses. */
    public static final AddressPolicy PUBLIC_ONLY = new AddressPolicy(List.of());

    /**
     * @param allowCidrs CIDRs (e.g. {@code 127.0.0.1/32}, {@code ::1/128}, {@code 10.1.0.0/16}) or single addresses
     *        that are allowed although not public
     * @throws IllegalArgumentException naming the entry that is no CIDR
     */
    public AddressPolicy(List<String> allowCidrs) {
        List<Cidr> parsed = new ArrayList<>();
        for (String entry : allowCidrs == null ? List.<String>of() : allowCidrs) {
            if (entry != null && !entry.isBlank()) {
                parsed.add(Cidr.parse(entry.strip()));
            }
        }
        this.allowed = List.copyOf(parsed);
    }

    /**
     * Checks an endpoint URL at registration with the public-only policy: http(s), a host, and every address the
     * host resolves to is public.
     *
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL with a host
     * @throws BlockedAddressException when the host resolves to an address that is not public
     * @throws UnknownHostException when the host does not resolve
     */
    public static void check(URI uri) throws UnknownHostException {
        PUBLIC_ONLY.checkUrl(uri);
    }

    /** Like {@link #check(URI)} with this policy's allow-list. */
    public void checkUrl(URI uri) throws UnknownHostException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("webhook URL must start with https:// (or http://), was " + uri);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("webhook URL has no host: " + uri);
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("webhook URL must not carry credentials before the host");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        checkAll(host, InetAddress.getAllByName(host));
    }

    /**
     * Returns {@code addresses} when every one of them may be called; otherwise throws, naming the first that may
     * not. All-or-nothing: a host with one internal address is refused even if others are public, so DNS tricks
     * cannot mix in an internal target.
     */
    public InetAddress[] checkAll(String host, InetAddress[] addresses) throws BlockedAddressException {
        for (InetAddress address : addresses) {
            Optional<String> blocked = blockedClass(address);
            if (blocked.isPresent()) {
                throw new BlockedAddressException(host, address.getHostAddress(), blocked.get());
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
        Inet4Address embedded = address instanceof Inet6Address v6 ? embeddedIpv4(v6.getAddress()) : null;
        for (Cidr cidr : allowed) {
            if (cidr.contains(address) || (embedded != null && cidr.contains(embedded))) {
                return true;
            }
        }
        return false;
    }

    /** The class of a non-public address, or empty for a public one; ignores the allow-list. */
    public static Optional<String> nonPublicClass(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return Optional.ofNullable(ipv4Class(b));
        }
        String v6 = ipv6Class(b);
        if (v6 != null) {
            return Optional.of(v6);
        }
        Inet4Address embedded = embeddedIpv4(b);
        if (embedded != null) {
            String v4 = ipv4Class(embedded.getAddress());
            return v4 == null ? Optional.empty() : Optional.of(v4 + " (embedded in IPv6 " + address.getHostAddress() + ")");
        }
        return Optional.empty();
    }

    private static String ipv4Class(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0) {
            return "unspecified (0.0.0.0/8)";
        }
        if (a0 == 127) {
            return "loopback";
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return "private (RFC 1918)";
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "shared CGNAT (100.64.0.0/10)";
        }
        if (a0 == 169 && a1 == 254) {
            return a2 == 169 && (b[3] & 0xff) == 254 ? "link-local (cloud metadata)" : "link-local";
        }
        if (a0 == 192 && a1 == 0 && a2 == 0) {
            return "reserved (IETF protocol assignments)";
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return "reserved (benchmarking)";
        }
        if (a0 >= 224 && a0 <= 239) {
            return "multicast";
        }
        if (Arrays.equals(b, new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255})) {
            return "broadcast";
        }
        if (a0 >= 240) {
            return "reserved (240.0.0.0/4)";
        }
        return null;
    }

    private static String ipv6Class(byte[] b) {
        boolean zeroPrefix = true;
        for (int i = 0; i < 15; i++) {
            zeroPrefix &= b[i] == 0;
        }
        if (zeroPrefix && b[15] == 0) {
            return "unspecified (::)";
        }
        if (zeroPrefix && b[15] == 1) {
            return "loopback";
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b0 == 0xff) {
            return "multicast";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return "link-local";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return "private (site-local fec0::/10)";
        }
        if ((b0 & 0xfe) == 0xfc) {
            return "unique-local (fc00::/7)";
        }
        return null;
    }

    /**
     * The IPv4 address an IPv6 address stands for: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d),
     * NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::/48); null for any other IPv6 address.
     */
    static Inet4Address embeddedIpv4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        boolean first10Zero = true;
        for (int i = 0; i < 10; i++) {
            first10Zero &= b[i] == 0;
        }
        boolean mapped = first10Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = first10Zero && b[10] == 0 && b[11] == 0;
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12);
        if (mapped || compatible || nat64) {
            return ipv4(Arrays.copyOfRange(b, 12, 16));
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
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

    /** An address range such as 10.0.0.0/8 or fd00::/8; a bare address is a range of one. */
    record Cidr(byte[] network, int prefixLength) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String addressText = slash < 0 ? text : text.substring(0, slash);
            if (!addressText.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("'" + text + "' in connectors.webhook.ssrf.allow is not a CIDR "
                        + "such as 127.0.0.1/32 or ::1/128 (host names are not allowed)");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(addressText).getAddress(); // a literal: no DNS lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' in connectors.webhook.ssrf.allow is not an IP "
                        + "address or CIDR", e);
            }
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("'" + text + "' in connectors.webhook.ssrf.allow has an "
                            + "invalid prefix length (0-" + network.length * 8 + ")");
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
