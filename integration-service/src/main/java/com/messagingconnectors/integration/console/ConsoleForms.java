package com.messagingconnectors.integration.console;

import com.messagingconnectors.integration.api.ApiException;
import com.messagingconnectors.integration.api.ApiProblems;
import com.messagingconnectors.integration.domain.DomainException;
import com.messagingconnectors.schemas.FieldError;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API answered, shown on a form: the problem's detail on top, and each of its {@code errors} beside the
 * field it names. A field error of the item being edited ({@code channels[2].url} for the endpoint at index 2) goes to
 * the form field ({@code url}); any other stays in the list on top.
 *
 * @param message what went wrong, for the top of the form
 * @param fields  form field → problem
 * @param others  field errors that belong to no field of this form, with their API field name
 */
public record ConsoleForms(String message, Map<String, String> fields, List<String> others, int status) {
    static final String CHANGED_BY_SOMEONE_ELSE = "This integration was changed by someone else since you opened this"
            + " page — reload to see the current settings, then make your change again.";

    /**
     * A refusal shown on the form about the item whose fields start with {@code prefix} (e.g. "channels[2]."), with
     * the status the API would answer (one table: {@link ApiProblems#status}).
     */
    static ConsoleForms of(DomainException e, String prefix) {
        return of(ApiProblems.status(e), e instanceof DomainException.StaleVersion ? CHANGED_BY_SOMEONE_ELSE
                : e.getMessage(), ApiProblems.errors(e), prefix);
    }

    /** Shows {@code e} on the form being answered: the model's "problem", and the status the API would answer. */
    static void show(DomainException e, String prefix, HttpServletResponse response, Model model) {
        ConsoleForms problem = of(e, prefix);
        response.setStatus(problem.status());
        model.addAttribute("problem", problem);
    }

    /** An answer only the web layer gives (no field errors). */
    static ConsoleForms of(ApiException e) {
        return of(e.status(), e.getMessage(), List.of(), null);
    }

    /** Whether the refusal only says the page was out of date (the page shows the current state again). */
    boolean stale() {
        return status == HttpStatus.PRECONDITION_FAILED.value();
    }

    static ConsoleForms of(HttpStatus status, String message, List<FieldError> errors, String prefix) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> others = new ArrayList<>();
        for (FieldError error : errors) {
            if (prefix != null && error.field().startsWith(prefix)) {
                fields.merge(formField(error.field().substring(prefix.length())), error.problem(),
                        (a, b) -> a + "; " + b);
            } else {
                others.add(error.field() + ": " + error.problem());
            }
        }
        boolean explainedByFields = !errors.isEmpty() && others.isEmpty();
        return new ConsoleForms(explainedByFields ? "Please correct the marked fields." : message, fields, others,
                status.value());
    }

    /** "match.types[0]" → "types", "url" → "url": the form field that holds the value. */
    private static String formField(String apiField) {
        String field = apiField.startsWith("match.") ? apiField.substring("match.".length()) : apiField;
        int bracket = field.indexOf('[');
        return bracket < 0 ? field : field.substring(0, bracket);
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    public String at(String field) {
        return fields.get(field);
    }
}
