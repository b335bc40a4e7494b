package com.messagingconnectors.webhook.ssrf;

import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.config.ssrf.BlockedAddressException;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The webhook HTTP client's DNS resolver: resolves with the system resolver and refuses (a
 * {@link BlockedAddressException}, so no connection is opened) when any resolved address is not public and not
 * allowed by {@code connectors.webhook.ssrf.allow}. The client connects to exactly the addresses returned here,
 * which pins the checked addresses for the request: a second, different DNS answer cannot sneak in between check
 * and connect. Every new connection, including one to a redirect target, goes through here.
 */
public final class SsrfGuard implements DnsResolver {
    /** How a host name becomes addresses; the system resolver in production. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final AddressPolicy policy;
    private final Resolver resolver;

    /** @param allowCidrs non-public ranges that may be called anyway, e.g. 127.0.0.1/32 for the local stack */
    public SsrfGuard(List<String> allowCidrs) {
        this(allowCidrs, InetAddress::getAllByName);
    }

    public SsrfGuard(List<String> allowCidrs, Resolver resolver) {
        this.policy = new AddressPolicy(allowCidrs);
        this.resolver = resolver;
    }

    /** Registration-time check of an endpoint URL with the public-only policy; see {@link AddressPolicy#check}. */
    public static void check(URI uri) throws UnknownHostException {
        AddressPolicy.check(uri);
    }

    /** Like {@link #check(URI)}, with this guard's allow-list (for a sender-side check before queueing). */
    public void checkUrl(URI uri) throws UnknownHostException {
        policy.checkUrl(uri);
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return policy.checkAll(host, resolver.resolve(bare));
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        // Only used by authentication schemes (SPNEGO), never for the connection; no reverse lookup needed.
        resolve(host);
        return host;
    }
}
