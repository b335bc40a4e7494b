package com.messagingconnectors.delivery.http;

import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.config.ssrf.BlockedAddressException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The guarded HTTP client's DNS resolver: resolves a host and refuses (a {@link BlockedAddressException}, so no
 * connection is opened) when any of its addresses, or the port, may not be called under the {@link AddressPolicy}. The
 * client connects to exactly the addresses returned here, which pins the checked addresses for the connection: a
 * second, different DNS answer cannot sneak in between check and connect. Every new connection goes through here.
 */
public final class SsrfGuard implements DnsResolver {
    private final AddressPolicy policy;
    private final AddressPolicy.Resolver resolver;

    public SsrfGuard(AddressPolicy policy) {
        this(policy, AddressPolicy.Resolver.SYSTEM);
    }

    /** @param resolver how names become addresses (a fake one in tests) */
    public SsrfGuard(AddressPolicy policy, AddressPolicy.Resolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    /** What the connection operator calls: the addresses to connect to, each checked with the port. */
    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        String bare = bare(host);
        InetAddress[] addresses = policy.check(bare, port, resolver.resolve(bare));
        return Arrays.stream(addresses).map(address -> new InetSocketAddress(address, port)).toList();
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String bare = bare(host);
        return policy.checkAll(bare, resolver.resolve(bare));
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        // only used by authentication schemes (SPNEGO), never for the connection; no reverse lookup needed
        resolve(host);
        return host;
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
