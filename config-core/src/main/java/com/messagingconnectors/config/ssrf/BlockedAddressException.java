package com.messagingconnectors.config.ssrf;

import java.net.UnknownHostException;
import java.util.Set;
import java.util.TreeSet;

/**
 * A customer URL's host resolved to an address we never call (loopback, private, link-local, ...), or its port is
 * not allowed. An {@link UnknownHostException} so that HTTP clients treat it like a host that does not resolve: no
 * connection is ever opened. The message names the host and the class of address but never the resolved address
 * itself (it would tell a caller what an internal name points at); {@link #address()} is for operators' logs.
 */
public class BlockedAddressException extends UnknownHostException {
    private final String host;
    private final String address;
    private final String addressClass;
    private final int port;

    private BlockedAddressException(String message, String host, String address, String addressClass, int port) {
        super(message);
        this.host = host;
        this.address = address;
        this.addressClass = addressClass;
        this.port = port;
    }

    /** {@code host} resolves to {@code address}, which is of a refused class. */
    public static BlockedAddressException nonPublic(String host, String address, String addressClass) {
        return new BlockedAddressException("refusing to call " + host + ": it resolves to a non-public address ("
                + addressClass + "); only public addresses are called unless an operator allows the range with "
                + "connectors.ssrf.allow", host, address, addressClass, -1);
    }

    /** {@code port} is neither 80, 443 nor allowed by configuration. */
    public static BlockedAddressException port(String host, int port, Set<Integer> allowedPorts) {
        return new BlockedAddressException("refusing to call " + host + " on port " + port + ": only ports "
                + new TreeSet<>(allowedPorts) + " are called unless an operator allows more with "
                + "connectors.ssrf.allowed-ports", host, null, null, port);
    }

    public String host() {
        return host;
    }

    /** The refused address, for operators' logs only; null when the port was refused. */
    public String address() {
        return address;
    }

    /** e.g. "loopback", "private (RFC 1918)", "link-local (cloud metadata)"; null when the port was refused. */
    public String addressClass() {
        return addressClass;
    }

    /** The refused port, or -1 when an address was refused. */
    public int port() {
        return port;
    }

    public boolean portRefused() {
        return port >= 0;
    }
}
