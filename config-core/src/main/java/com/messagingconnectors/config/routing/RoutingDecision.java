package com.messagingconnectors.config.routing;

import java.util.List;

/** Where an event goes (each destination once) and which integrations it does not reach, with the reason. */
public record RoutingDecision(List<Route> routes, List<NotRouted> notRouted) {
}
