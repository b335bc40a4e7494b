package com.messagingconnectors.integration.api;

import com.messagingconnectors.config.auth.Caller;
import com.messagingconnectors.integration.api.Dtos.ResealView;
import com.messagingconnectors.integration.secrets.SecretResealer;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operator-only: re-seal every stored secret with the active encryption key (see {@link SecretResealer}). */
@RestController
class SecretsAdminController {
    private final SecretResealer resealer;

    SecretsAdminController(SecretResealer resealer) {
        this.resealer = resealer;
    }

    @PostMapping("/v1/admin/secrets:reseal")
    ResealView reseal(HttpServletRequest request) {
        if (!(request.getAttribute(Caller.REQUEST_ATTRIBUTE) instanceof Caller caller) || !caller.admin()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "only the operator key may re-seal secrets");
        }
        return resealer.resealAll();
    }
}
