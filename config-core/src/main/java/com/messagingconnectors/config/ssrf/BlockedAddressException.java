package com.messagingconnectors.config.ssrf;

import java.net.UnknownHostException;

/**
 * A webhook host resolved to an address we never call (loopback, private, link-local, ...). An
 * {@link UnknownHostException} so that HTTP clients treat it like a host that does not resolve: no connection is
 * ever opened.
 */
public class BlockedAddressException extends UnknownHostException {
    private final String host;
    private final String address;
    private final String addressClass;

    public BlockedAddressException(String host, String address, String addressClass) {
        super("refusing to call " + host + ": it resolves to " + address + ", a " + addressClass
                + " address (webhooks may only call public addresses; an operator can allow it with "
                + "connectors.webhook.ssrf.allow)");
        this.host = host;
        this.address = address;
        this.addressClass = addressClass;
    }

    public String host() {
        return host;
    }

    public String address() {
        return address;
    }

    /** e.g. "loopback", "private (RFC 1918)", "link-local (cloud metadata)". */
    public String addressClass() {
        return addressClass;
    }
}
