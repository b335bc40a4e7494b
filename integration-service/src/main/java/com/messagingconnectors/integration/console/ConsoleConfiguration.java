package com.messagingconnectors.integration.console;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/** The console's sign-in redirect runs before the security chain (order -100), which then decides. */
@Configuration
class ConsoleConfiguration {
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> consoleSignInRedirect(ConsoleAccess access) {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(access.signInRedirect());
        registration.addUrlPatterns(ConsoleAccess.HOME, ConsoleAccess.HOME + "/*");
        registration.setOrder(-110);
        return registration;
    }
}
