package com.messagingconnectors.ingest;

import com.messagingconnectors.config.observe.Traces;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The first hop of an event's trace: the caller's W3C {@code traceparent} header (if valid; otherwise a new trace)
 * is what the events produced for this request carry to platform.events, and from there to every delivery.
 */
@Component
class TraceparentFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try (Traces.Hop hop = Traces.hop("ingest", request.getHeader(Traces.TRACEPARENT))) {
            chain.doFilter(request, response);
        }
    }
}
