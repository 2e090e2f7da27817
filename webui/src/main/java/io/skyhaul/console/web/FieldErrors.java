package io.skyhaul.console.web;

import io.skyhaul.http.errors.ApiException;
import io.skyhaul.http.errors.ProblemMappers;
import io.skyhaul.http.errors.Problem;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A form's errors: a message per field (named as the form and the API name it, e.g.
 * {@code s3.accessKeyId}) and messages for the form as a whole. Filled from the same Hibernate
 * Validator constraints the API checks on the same request records, and from the services' own
 * refusals ({@link ApiException} with its field errors).
 */
public final class FieldErrors {
    private final Map<String, String> byField = new LinkedHashMap<>();
    private final List<String> general = new ArrayList<>();

    /** The request record's constraint violations. */
    public static FieldErrors validate(Validator validator, Object request) {
        FieldErrors errors = new FieldErrors();
        for (ConstraintViolation<Object> v : validator.validate(request)) {
            String field = field(v.getPropertyPath());
            if (field.isEmpty() || isCrossField(v)) {
                errors.general.add(v.getMessage());
            } else {
                errors.add(field, v.getMessage());
            }
        }
        return errors;
    }

    /** A class-level {@code @AssertTrue isSomethingConsistent()} check has no single field. */
    private static boolean isCrossField(ConstraintViolation<?> v) {
        return v.getConstraintDescriptor().getAnnotation() instanceof jakarta.validation.constraints.AssertTrue
                && !v.getPropertyPath().toString().endsWith("Valid");
    }

    private static String field(Path path) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getName() != null) {
                out.append(out.length() == 0 ? "" : ".").append(ProblemMappers.Invalid.fieldName(node.getName()));
            }
        }
        return out.toString();
    }

    /** A service's refusal: under its fields when it names them, else for the whole form. */
    public static FieldErrors of(ApiException e) {
        FieldErrors errors = new FieldErrors();
        errors.add(e);
        return errors;
    }

    public void add(ApiException e) {
        if (e.fieldErrors().isEmpty()) {
            general.add(e.getMessage());
        }
        for (Problem.FieldError f : e.fieldErrors()) {
            add(f.field(), f.message());
        }
    }

    /** Adds another check's errors; a field that already has one (e.g. "not a number") keeps it. */
    public FieldErrors addAll(FieldErrors other) {
        other.byField.forEach(byField::putIfAbsent);
        general.addAll(other.general);
        return this;
    }

    public void add(String field, String message) {
        byField.merge(field, message, (a, b) -> a + "; " + b);
    }

    public boolean isEmpty() {
        return byField.isEmpty() && general.isEmpty();
    }

    public boolean has(String field) {
        return byField.containsKey(field);
    }

    public String get(String field) {
        return byField.get(field);
    }

    public Map<String, String> fields() {
        return byField;
    }

    public List<String> general() {
        return general;
    }

    @Override
    public String toString() {
        return byField + " " + general;
    }
}
