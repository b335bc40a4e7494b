package com.messagingconnectors.integration.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request Content-Type with a wildcard ({@code application/*}, {@code *}{@code /*}) is not a media type a body can
 * have; Spring MVC's request wrapper throws an IllegalArgumentException on it while reading any {@code @RequestBody},
 * which ended in a 500 on every endpoint with a body (found by IntegrationApiFuzzTest). Answered 415 here instead.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class WildcardContentTypeFilter extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (contentType != null && isWildcard(contentType)) {
            response.setStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE);
            response.getOutputStream().write(("{\"type\":\"about:blank\",\"title\":\"Unsupported Media Type\","
                    + "\"status\":415,\"detail\":\"Content-Type must name one media type such as application/json, not a"
                    + " wildcard\",\"instance\":\"" + request.getRequestURI().replaceAll("[^A-Za-z0-9/_:.~-]", "")
                    + "\"}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isWildcard(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isWildcardType() || type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false; // Spring MVC answers these itself (415)
        }
    }
}
