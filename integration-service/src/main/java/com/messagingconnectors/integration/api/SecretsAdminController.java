package com.messagingconnectors.integration.api;

import com.messagingconnectors.integration.secrets.SecretResealer.ResealView;
import com.messagingconnectors.integration.secrets.SecretResealer;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operator-only (the route rule of {@code /admin/**} in IntegrationServiceRoutes): re-seal every stored secret with the active encryption key (see {@link SecretResealer}). */
@RestController
class SecretsAdminController {
    private final SecretResealer resealer;

    SecretsAdminController(SecretResealer resealer) {
        this.resealer = resealer;
    }

    @PostMapping("/admin/secrets:reseal")
    ResealView reseal() {
        return resealer.resealAll();
    }
}
