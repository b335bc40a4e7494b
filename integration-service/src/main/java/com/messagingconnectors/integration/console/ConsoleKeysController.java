package com.messagingconnectors.integration.console;

import com.messagingconnectors.config.auth.Scope;
import com.messagingconnectors.integration.ApiKeyService;
import com.messagingconnectors.integration.console.ConsoleSessions.Session;
import com.messagingconnectors.integration.domain.DomainException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.Arrays;
import java.util.List;

/** API keys of the session's workspace: create (the key shown once), list by prefix, revoke — {@link ApiKeyService}. */
@Controller
@RequestMapping(ConsoleAccess.HOME + "/api-keys")
class ConsoleKeysController {
    private static final String SESSION = ConsoleAccess.SESSION_ATTRIBUTE;
    private final ApiKeyService keys;

    ConsoleKeysController(ApiKeyService keys) {
        this.keys = keys;
    }

    @GetMapping
    String list(@RequestAttribute(SESSION) Session session, @RequestParam(required = false) String notice,
                Model model) {
        model.addAttribute("keys", keys.list(ConsoleIntegrationsController.workspace(session)));
        model.addAttribute("scopes", Arrays.stream(Scope.values()).map(Scope::id).toList());
        model.addAttribute("notice", notice);
        return "console/api-keys";
    }

    @PostMapping
    String create(@RequestAttribute(SESSION) Session session, @RequestParam(defaultValue = "") String name,
                  @RequestParam(required = false) List<String> scopes, HttpServletResponse response, Model model) {
        try {
            model.addAttribute("created", keys.create(ConsoleIntegrationsController.workspace(session),
                    session.caller(), name, scopes));
        } catch (DomainException e) {
            ConsoleForms.show(e, "", response, model);
            model.addAttribute("name", name);
        }
        return list(session, null, model);
    }

    @PostMapping("/{keyId}/revoke")
    String revoke(@RequestAttribute(SESSION) Session session, @PathVariable String keyId) {
        keys.revoke(ConsoleIntegrationsController.workspace(session), keyId);
        return "redirect:/console/api-keys?notice=revoked";
    }
}
