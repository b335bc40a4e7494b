package com.messagingconnectors.integration.console;

import com.messagingconnectors.integration.api.ApiException;
import com.messagingconnectors.schemas.FieldError;
import org.springframework.http.HttpStatus;

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

    /** The API's answer for the form about the item whose fields start with {@code prefix} (e.g. "channels[2]."). */
    static ConsoleForms of(ApiException e, String prefix) {
        return of(e.status(), e.status() == HttpStatus.PRECONDITION_FAILED ? CHANGED_BY_SOMEONE_ELSE : e.getMessage(),
                e.errors(), prefix);
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
