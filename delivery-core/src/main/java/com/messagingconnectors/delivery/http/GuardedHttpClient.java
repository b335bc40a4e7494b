package com.messagingconnectors.delivery.http;

import com.messagingconnectors.config.ssrf.AddressPolicy;
import com.messagingconnectors.config.ssrf.BlockedAddressException;
import com.messagingconnectors.delivery.DeliveryOutcome;
import com.messagingconnectors.delivery.DeliveryOutcome.FailureReason;
import com.messagingconnectors.delivery.DeliveryOutcome.IntegrationEffect;
import com.messagingconnectors.delivery.TransportFailures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * The one HTTP client for customer-supplied URLs (webhook endpoints, Teams Workflows URLs): every connection's
 * addresses and port are checked and pinned by the {@link SsrfGuard}, redirects are never followed (a 3xx is a
 * permanent failure), no automatic retries (delivery-core retries on its schedule), no cookies, connect and read
 * timeouts and a deadline for the whole exchange, so a trickling server is cut off too. Failures without an HTTP answer
 * come back as a classified {@link DeliveryOutcome} whose detail never contains the URL's path or query (they may
 * carry a secret) nor a resolved address.
 */
public final class GuardedHttpClient implements AutoCloseable {
    /** Exactly "application/json": JSON is UTF-8 by definition (RFC 8259), a charset parameter is not defined. */
    private static final ContentType JSON = ContentType.create("application/json");

    /**
     * @param connectTimeout TCP connect timeout
     * @param requestTimeout the whole exchange, from sending to the end of the answer
     * @param maxConnections pooled connections, in total and per host
     * @param userAgent      the User-Agent header
     */
    public record Settings(Duration connectTimeout, Duration requestTimeout, int maxConnections, String userAgent) {
    }

    /** An HTTP answer that is not a redirect. */
    public record Answer(int status, String retryAfter) {
    }

    /** No usable HTTP answer: refused before connecting, no connection, timed out or redirected; already classified. */
    public static final class NoAnswer extends Exception {
        private final transient DeliveryOutcome outcome;

        NoAnswer(DeliveryOutcome outcome) {
            super(outcome.toString(), null, false, false);
            this.outcome = outcome;
        }

        public DeliveryOutcome outcome() {
            return outcome;
        }

        /** True when the policy refused the URL's address or port: nothing was sent. */
        public boolean refused() {
            return outcome instanceof DeliveryOutcome.Permanent p && p.reason() == FailureReason.invalid;
        }
    }

    private final CloseableHttpClient http;
    private final Settings settings;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("guarded-http-deadlines").factory());

    private GuardedHttpClient(CloseableHttpClient http, Settings settings) {
        this.http = http;
        this.settings = settings;
    }

    /** A client whose connections the policy checks, with the system DNS resolver. */
    public static GuardedHttpClient create(AddressPolicy policy, Settings settings) {
        return create(new SsrfGuard(policy), settings);
    }

    public static GuardedHttpClient create(SsrfGuard guard, Settings settings) {
        return create((DnsResolver) guard, settings);
    }

    /**
     * A client with this one's settings that reaches nothing but {@code sink}, a loopback server of the sender's own:
     * the delivery engine's warm-up rehearses the channel's real code against it before the sender says it is ready.
     * Any other host or port fails to resolve, so nothing else is ever connected to. This client's own policy is
     * untouched.
     */
    public GuardedHttpClient rehearsalCopy(URI sink) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        if (!loopback.getHostAddress().equals(sink.getHost())) {
            throw new IllegalArgumentException("a rehearsal sink is on " + loopback.getHostAddress());
        }
        DnsResolver sinkOnly = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                if (!sink.getHost().equals(host)) {
                    throw new UnknownHostException(host + " is not the rehearsal sink");
                }
                return new InetAddress[] {loopback};
            }

            @Override
            public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
                if (port != sink.getPort()) {
                    throw new UnknownHostException("port " + port + " is not the rehearsal sink's");
                }
                return List.of(new InetSocketAddress(resolve(host)[0], port));
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                resolve(host);
                return host;
            }
        };
        return create(sinkOnly, settings);
    }

    private static GuardedHttpClient create(DnsResolver resolver, Settings settings) {
        Timeout connect = Timeout.of(settings.connectTimeout());
        Timeout response = Timeout.of(settings.requestTimeout());
        CloseableHttpClient http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(resolver)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect)
                                .setSocketTimeout(response).build())
                        .setMaxConnTotal(settings.maxConnections())
                        .setMaxConnPerRoute(settings.maxConnections())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(response)
                        .setRedirectsEnabled(false).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .setUserAgent(settings.userAgent())
                .build();
        return new GuardedHttpClient(http, settings);
    }

    /**
     * POSTs {@code body} as {@code application/json} with {@code headers}.
     *
     * @throws NoAnswer with the delivery outcome when there is no answer to classify by its status
     */
    public Answer postJson(URI uri, Map<String, String> headers, byte[] body) throws NoAnswer {
        try {
            AddressPolicy.checkForm(uri);
        } catch (IllegalArgumentException e) {
            throw new NoAnswer(new DeliveryOutcome.Permanent(FailureReason.invalid, e.getMessage(), 0,
                    IntegrationEffect.NONE));
        }
        String host = uri.getHost();
        HttpPost post = new HttpPost(uri);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, JSON));
        Duration requestTimeout = settings.requestTimeout();
        ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, requestTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        Answer answer;
        try {
            answer = http.execute(post, response -> {
                Header retryAfter = response.getFirstHeader("Retry-After");
                return new Answer(response.getCode(), retryAfter == null ? null : retryAfter.getValue());
            });
        } catch (BlockedAddressException e) {
            throw new NoAnswer(new DeliveryOutcome.Permanent(FailureReason.invalid, e.getMessage(), 0,
                    IntegrationEffect.NONE));
        } catch (IOException e) {
            throw new NoAnswer(post.isCancelled()
                    ? TransportFailures.deadlineExceeded(host, requestTimeout)
                    : TransportFailures.classify(e, host));
        } finally {
            deadline.cancel(false);
        }
        if (answer.status() >= 300 && answer.status() < 400) {
            throw new NoAnswer(new DeliveryOutcome.Permanent(FailureReason.client, "redirect refused (HTTP "
                    + answer.status() + "): the URL must answer itself", answer.status(), IntegrationEffect.NONE));
        }
        return answer;
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        http.close();
    }
}
