package com.messagingconnectors.integration.api;

import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.schemas.FieldError;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each domain refusal is answered with its status as problem+json, the detail a person reads, and field errors. */
class ApiProblemsTest {
    private final ApiProblems problems = new ApiProblems();

    @Test
    void eachRefusalHasItsStatus() {
        Map<DomainException, HttpStatus> expected = Map.of(
                new DomainException.NotFound("integration int_x"), HttpStatus.NOT_FOUND,
                new DomainException.Conflict("Slack is not connected yet"), HttpStatus.CONFLICT,
                new DomainException.WrongKind("integration int_x is a teams integration"), HttpStatus.CONFLICT,
                new DomainException.StaleVersion("integration int_x was changed by someone else"),
                HttpStatus.PRECONDITION_FAILED,
                new DomainException.Invalid("name", "is required"), HttpStatus.UNPROCESSABLE_CONTENT,
                new DomainException.NotPermitted("this API key cannot create a key with [admin]"), HttpStatus.FORBIDDEN,
                new DomainException.Unavailable("the Slack app is not configured"), HttpStatus.SERVICE_UNAVAILABLE,
                new DomainException.UpstreamFailed("Slack could not be reached"), HttpStatus.BAD_GATEWAY);
        expected.forEach((refusal, status) -> {
            ResponseEntity<ProblemDetail> answer = problems.domain(refusal);
            assertThat(answer.getStatusCode()).as(refusal.getClass().getSimpleName()).isEqualTo(status);
            assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(answer.getBody().getStatus()).isEqualTo(status.value());
            assertThat(answer.getBody().getTitle()).isEqualTo(status.getReasonPhrase());
            assertThat(answer.getBody().getDetail()).isEqualTo(refusal.getMessage());
        });
    }

    @Test
    void notFoundSaysWhatDoesNotExist() {
        assertThat(problems.domain(new DomainException.NotFound("channel ep_1 of integration int_x")).getBody()
                .getDetail()).isEqualTo("channel ep_1 of integration int_x does not exist");
    }

    @Test
    void invalidInputListsEveryFieldAndSumsThemUp() {
        ProblemDetail one = problems.domain(new DomainException.Invalid("url", "must be https")).getBody();
        assertThat(one.getDetail()).isEqualTo("url: must be https");
        assertThat(one.getProperties()).containsEntry("errors", List.of(new FieldError("url", "must be https")));

        List<FieldError> two = List.of(new FieldError("name", "is required"), new FieldError("kind", "is unknown"));
        ProblemDetail many = problems.domain(new DomainException.Invalid(two)).getBody();
        assertThat(many.getDetail()).isEqualTo("2 fields are invalid; see errors");
        assertThat(many.getProperties()).containsEntry("errors", two);
    }

    @Test
    void onlyInvalidInputCarriesErrors() {
        assertThat(problems.domain(new DomainException.Conflict("no")).getBody().getProperties()).isNull();
    }

    @Test
    void anUpstreamRefusalTheCallerCanFixKeepsItsStatusTheRestIsBadGateway() {
        assertThat(problems.domain(new DomainException.UpstreamFailed("the slack sender refused: no such record",
                404)).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(problems.domain(new DomainException.UpstreamFailed("the slack sender refused: boom", 500))
                .getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
    }
}
