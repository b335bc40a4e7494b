package com.messagingconnectors.config.http;

import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Every servlet service built on config-core gets {@link RequestBodyLimitFilter} in front of everything else
 * (before authentication too: an oversized body is refused without being read whoever sends it). The limits come from
 * {@code connectors.http.*}; a service with per-endpoint limits (ingest) declares its own {@link BodyLimits} bean.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.filter.OncePerRequestFilter")
@EnableConfigurationProperties(HttpLimitsProperties.class)
public class HttpLimitsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    BodyLimits bodyLimits(HttpLimitsProperties properties) {
        return new BodyLimits(properties.maxBodySize().toBytes(), Map.of(), properties.bodyReadTimeout());
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(BodyLimits limits) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(limits));
        // right after Boot's character-encoding filter, before security and everything that may read the body
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** Replaces Boot's error controller (it backs off when one exists): container errors become problem+json too. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.webmvc.error.ErrorController")
    static class ProblemErrors {
        @Bean
        @ConditionalOnMissingBean(type = "org.springframework.boot.webmvc.error.ErrorController")
        ProblemErrorController problemErrorController() {
            return new ProblemErrorController();
        }
    }
}
