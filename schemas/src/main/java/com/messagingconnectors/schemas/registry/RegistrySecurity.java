package com.messagingconnectors.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a schema registry client proves who it is and whom it talks to: HTTP basic or bearer authentication and TLS
 * trust/key stores, as Confluent Cloud, Karapace, Apicurio and Redpanda registries require.
 *
 * <p>Configured once, in Confluent's serde setting names: {@code basic.auth.user.info} ({@code user:password}),
 * {@code bearer.auth.token}, {@code schema.registry.ssl.truststore.location|password|type} and
 * {@code schema.registry.ssl.keystore.location|password|type}. Each setting is taken from the client's own
 * configuration when given there, otherwise from the environment variable {@code SCHEMA_REGISTRY_} + the name without
 * its {@code schema.registry.} prefix, upper-cased with dots as underscores ({@code SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO},
 * {@code SCHEMA_REGISTRY_BEARER_AUTH_TOKEN}, {@code SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION}, …), so every client of a
 * process (services, senders, tools) is secured by one Secret passed with {@code envFrom}, like the Kafka clients
 * ({@link com.messagingconnectors.schemas.KafkaClients}). Credentials in the URL ({@code https://user:pw@host}) work
 * too and are removed from the URL the client shows. Errors name the setting, never its value.
 */
public final class RegistrySecurity {
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    static final List<String> SETTINGS = List.of(BASIC_AUTH_USER_INFO, BEARER_AUTH_TOKEN, SSL_TRUSTSTORE_LOCATION,
            SSL_TRUSTSTORE_PASSWORD, SSL_TRUSTSTORE_TYPE, SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD, SSL_KEYSTORE_TYPE);

    /** No credentials, the JDK's default trust. */
    public static final RegistrySecurity NONE = new RegistrySecurity(null, null);

    /** The Authorization header value, or null. Never logged, never in a message. */
    private final String authorization;
    private final SSLContext sslContext;

    private RegistrySecurity(String authorization, SSLContext sslContext) {
        this.authorization = authorization;
        this.sslContext = sslContext;
    }

    /** HTTP basic authentication with {@code user:password}. */
    public static RegistrySecurity basic(String userInfo) {
        return new RegistrySecurity(basicHeader(userInfo, BASIC_AUTH_USER_INFO), null);
    }

    /** Bearer authentication with a static token (e.g. an OAuth access token). */
    public static RegistrySecurity bearer(String token) {
        return new RegistrySecurity("Bearer " + token.strip(), null);
    }

    /** The same credentials, trusting (and presenting) the stores of {@code sslContext}. */
    public RegistrySecurity withSsl(SSLContext context) {
        return new RegistrySecurity(authorization, context);
    }

    /** Only from the environment (for clients configured with nothing but a URL). */
    public static RegistrySecurity fromEnvironment() {
        return from(Map.of(), System.getenv());
    }

    /** The client's configuration (Confluent names) first, then the environment. */
    public static RegistrySecurity from(Map<String, ?> configs, Map<String, String> environment) {
        String userInfo = setting(configs, environment, BASIC_AUTH_USER_INFO);
        String token = setting(configs, environment, BEARER_AUTH_TOKEN);
        if (userInfo != null && token != null) {
            throw new IllegalArgumentException("both " + describe(BASIC_AUTH_USER_INFO) + " and "
                    + describe(BEARER_AUTH_TOKEN) + " are set; a schema registry client uses one of them");
        }
        String authorization = userInfo != null ? basicHeader(userInfo, describe(BASIC_AUTH_USER_INFO))
                : token != null ? "Bearer " + token : null;
        return new RegistrySecurity(authorization, sslContext(configs, environment));
    }

    /** The environment variable that stands for a setting, e.g. SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO. */
    public static String environmentVariable(String setting) {
        String name = setting.startsWith("schema.registry.") ? setting.substring("schema.registry.".length()) : setting;
        return "SCHEMA_REGISTRY_" + name.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    Optional<String> authorization() {
        return Optional.ofNullable(authorization);
    }

    Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /** True when the client sends credentials: a 401/403 then means wrong credentials, not missing ones. */
    boolean authenticates() {
        return authorization != null;
    }

    private static String setting(Map<String, ?> configs, Map<String, String> environment, String name) {
        Object configured = configs.get(name);
        String value = configured != null ? configured.toString() : environment.get(environmentVariable(name));
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String describe(String setting) {
        return setting + " (" + environmentVariable(setting) + ")";
    }

    private static String basicHeader(String userInfo, String settingName) {
        int colon = userInfo.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(settingName + " must be user:password");
        }
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext sslContext(Map<String, ?> configs, Map<String, String> environment) {
        String truststore = setting(configs, environment, SSL_TRUSTSTORE_LOCATION);
        String keystore = setting(configs, environment, SSL_KEYSTORE_LOCATION);
        if (truststore == null && keystore == null) {
            return null;
        }
        try {
            TrustManagerFactory trust = null;
            if (truststore != null) {
                KeyStore store = load(truststore, setting(configs, environment, SSL_TRUSTSTORE_PASSWORD),
                        setting(configs, environment, SSL_TRUSTSTORE_TYPE), SSL_TRUSTSTORE_LOCATION);
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            KeyManagerFactory keys = null;
            if (keystore != null) {
                String password = setting(configs, environment, SSL_KEYSTORE_PASSWORD);
                KeyStore store = load(keystore, password, setting(configs, environment, SSL_KEYSTORE_TYPE),
                        SSL_KEYSTORE_LOCATION);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password == null ? new char[0] : password.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the schema registry TLS settings cannot be used: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static KeyStore load(String location, String password, String type, String setting)
            throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(type == null ? "PKCS12" : type);
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (IOException e) {
            // IOException also means a wrong password: say which file, not what was tried
            throw new IllegalArgumentException(describe(setting) + " " + location
                    + " cannot be read (missing file, wrong type or wrong password): " + e.getClass().getSimpleName(), e);
        }
    }
}
