package com.messagingconnectors.integration.console;

import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.schemas.FieldError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A service's refusal on a console form: the API's status, its detail on top, field errors beside their fields. */
class ConsoleFormsTest {

    @Test
    void aStaleVersionAsksToReload() {
        ConsoleForms form = ConsoleForms.of(new DomainException.StaleVersion("integration int_x was changed"), "");
        assertThat(form.status()).isEqualTo(412);
        assertThat(form.stale()).isTrue();
        assertThat(form.message()).isEqualTo(ConsoleForms.CHANGED_BY_SOMEONE_ELSE);
    }

    @Test
    void fieldErrorsOfTheEditedItemGoBesideTheirFields() {
        ConsoleForms form = ConsoleForms.of(new DomainException.Invalid(List.of(
                new FieldError("channels[1].url", "must be https"), new FieldError("channels[1].types[0]", "unknown"))),
                "channels[1].");
        assertThat(form.status()).isEqualTo(422);
        assertThat(form.at("url")).isEqualTo("must be https");
        assertThat(form.at("types")).isEqualTo("unknown");
        assertThat(form.others()).isEmpty();
        assertThat(form.message()).isEqualTo("Please correct the marked fields.");
    }

    @Test
    void otherRefusalsKeepTheirDetailAndStatus() {
        ConsoleForms form = ConsoleForms.of(new DomainException.UpstreamFailed("Slack could not be reached"), null);
        assertThat(form.status()).isEqualTo(502);
        assertThat(form.stale()).isFalse();
        assertThat(form.message()).isEqualTo("Slack could not be reached");
        assertThat(ConsoleForms.of(new DomainException.WrongKind("a webhook integration has nothing to connect"),
                null).status()).isEqualTo(409);
    }
}
