package io.skyhaul.http.errors;

import java.util.List;

/** A known failure of a request: becomes an application/problem+json answer with its status. */
public final class ApiException extends RuntimeException {
    private final ApiError error;
    private final List<Problem.FieldError> fieldErrors;

    public ApiException(ApiError error, String detail) {
        this(error, detail, List.of());
    }

    public ApiException(ApiError error, String detail, List<Problem.FieldError> fieldErrors) {
        super(detail);
        this.error = error;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(ApiError.INVALID_REQUEST, field + ": " + message, List.of(new Problem.FieldError(field, message)));
    }

    public static ApiException notFound(String what) {
        return new ApiException(ApiError.NOT_FOUND, what + " does not exist");
    }

    public static ApiException forbidden(String why) {
        return new ApiException(ApiError.FORBIDDEN, why);
    }

    public ApiError error() {
        return error;
    }

    public List<Problem.FieldError> fieldErrors() {
        return fieldErrors;
    }
}
