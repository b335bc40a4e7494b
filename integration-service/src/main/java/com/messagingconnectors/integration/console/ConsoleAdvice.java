package com.messagingconnectors.integration.console;

import com.messagingconnectors.integration.api.ApiException;
import com.messagingconnectors.integration.console.ConsoleSessions.Session;
import com.messagingconnectors.integration.domain.DomainException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every console page knows (the session, its CSRF token) and how a console page shows an error the API would
 * have answered with problem+json: the same detail, as a page.
 */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {
    private static final Logger log = LoggerFactory.getLogger(ConsoleAdvice.class);
    private final ConsoleSessions sessions;

    ConsoleAdvice(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    @ModelAttribute
    void common(HttpServletRequest request, HttpServletResponse response, Model model) {
        fill(request, response, model);
    }

    private void fill(HttpServletRequest request, HttpServletResponse response, Model model) {
        if (request.getAttribute(ConsoleAccess.SESSION_ATTRIBUTE) instanceof Session session) {
            model.addAttribute("me", session); // "session" is Thymeleaf's name for the HttpSession
            model.addAttribute("csrf", sessions.csrfToken(session));
            model.addAttribute("path", request.getRequestURI());
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("Referrer-Policy", "same-origin");
            response.setHeader("X-Frame-Options", "DENY");
            response.setHeader("X-Content-Type-Options", "nosniff");
            // no form-action: browsers apply it to the redirects after a form, and Connect redirects on to the provider
            response.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self';"
                    + " img-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'");
        }
    }

    @ExceptionHandler(DomainException.class)
    String refused(DomainException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        return page(ConsoleForms.of(e, null), request, response, model);
    }

    @ExceptionHandler(ApiException.class)
    String api(ApiException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        return page(ConsoleForms.of(e), request, response, model);
    }

    private String page(ConsoleForms problem, HttpServletRequest request, HttpServletResponse response, Model model) {
        fill(request, response, model);
        log.info("console request refused: {} {}", problem.status(), problem.message());
        response.setStatus(problem.status());
        model.addAttribute("problem", problem);
        // htmx swaps the answer into a part of the page: then the problem alone, not a whole page
        return request.getHeader("HX-Request") != null ? "console/layout :: problem" : "console/problem";
    }
}
