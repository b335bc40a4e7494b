package com.messagingconnectors.config.kinds;

import java.util.List;
import java.util.Map;

/**
 * A channel as the control-plane API takes and shows it: every kind's fields in one flat shape (a kind uses some of
 * them; its descriptor validates and types them). The API's request record implements it.
 */
public interface ChannelFields {
    String id();

    String name();

    String teamId();

    String url();

    String description();

    List<String> types();

    Map<String, String> headers();

    Boolean enabled();

    /** The plain form, e.g. a stored channel shown back. */
    record Of(String id, String name, String teamId, String url, String description, List<String> types,
              Map<String, String> headers, Boolean enabled) implements ChannelFields {
        public static Of chat(String id, String name, boolean enabled) {
            return new Of(id, name, null, null, null, null, null, enabled);
        }
    }
}
