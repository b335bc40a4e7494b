package com.messagingconnectors.integration;

import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.config.ssrf.AddressPolicyConfiguration;
import com.messagingconnectors.config.ssrf.BlockedAddressException;
import java.net.URI;
import java.net.UnknownHostException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * Checks every URL a customer gives us to call (webhook endpoints, Teams Workflows URLs) at registration, with the same
 * {@link AddressPolicy} the senders' guarded client applies at delivery. The problems it names never echo the address
 * the host resolves to (that would tell a caller what an internal name points at). A host that does not resolve (yet)
 * is accepted on an allowed port: the senders check every resolution again at delivery.
 */
@Component
@Import(AddressPolicyConfiguration.class)
public class CustomerUrls {
    private final AddressPolicy policy;
    private final boolean allowHttp;

    CustomerUrls(AddressPolicy policy, @Value("${connectors.security.local-mode:false}") boolean localMode) {
        this.policy = policy;
        this.allowHttp = localMode;
    }

    /** What is wrong with a non-blank URL, as a field problem ("must use https", ...); null when it may be used. */
    public String problem(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            return "is not a valid URL";
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            return "must be an absolute URL with a host";
        }
        if (!"https".equals(uri.getScheme()) && !(allowHttp && "http".equals(uri.getScheme()))) {
            return allowHttp ? "must use http or https" : "must use https";
        }
        if (uri.getUserInfo() != null) {
            return "must not contain user:password before the host; use a custom header for credentials";
        }
        try {
            policy.checkUrl(uri);
        } catch (BlockedAddressException e) {
            return e.portRefused()
                    ? "uses port " + e.port() + "; only ports 80 and 443 can be called (an operator can allow more)"
                    : "its host resolves to a non-public address; only public addresses can be called (an operator"
                            + " can allow internal ranges)";
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }
}
