package com.messagingconnectors.config.observe;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.PropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * Makes every {@link Traces} hop a span of the application's Micrometer Tracer (OpenTelemetry bridge), child of the
 * incoming traceparent. Spans are exported over OTLP only when an endpoint is set
 * ({@code management.opentelemetry.tracing.export.otlp.endpoint}, e.g. from the environment variable
 * MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT): that one setting turns exporting on. Every trace is sampled
 * (connectors-tracing.properties), since a notification's path is what an operator asks about.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration"})
@ConditionalOnClass(Tracer.class)
@PropertySource("classpath:connectors-tracing.properties")
public class TracingAutoConfiguration {

    @Bean
    TracedHops tracedHops(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new TracedHops(tracer, propagator);
    }

    static final class TracedHops implements SmartInitializingSingleton, DisposableBean {
        private final ObjectProvider<Tracer> tracers;
        private final ObjectProvider<Propagator> propagators;

        TracedHops(ObjectProvider<Tracer> tracers, ObjectProvider<Propagator> propagators) {
            this.tracers = tracers;
            this.propagators = propagators;
        }

        @Override
        public void afterSingletonsInstantiated() {
            Tracer tracer = tracers.getIfAvailable();
            Propagator propagator = propagators.getIfAvailable();
            if (tracer == null || propagator == null || tracer == Tracer.NOOP) {
                return;
            }
            Traces.use((name, parent) -> {
                // a current span (e.g. the HTTP server's, which already continued the caller's trace) is the parent
                Span span = parent == null || tracer.currentSpan() != null ? tracer.nextSpan().name(name).start()
                        : propagator.extract(Map.of(Traces.TRACEPARENT, parent), Map::get).name(name).start();
                Tracer.SpanInScope scope = tracer.withSpan(span);
                Map<String, String> out = new HashMap<>();
                propagator.inject(span.context(), out, Map::put);
                String traceparent = out.getOrDefault(Traces.TRACEPARENT, parent);
                return new Traces.Hop(traceparent != null ? traceparent : Traces.newUnsampled(), () -> {
                    scope.close();
                    span.end();
                });
            });
        }

        @Override
        public void destroy() {
            Traces.reset();
        }
    }
}
