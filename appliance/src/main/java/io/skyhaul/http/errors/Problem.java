package io.skyhaul.http.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem document: what every error answer of the API carries.
 *
 * @param errors for invalid input, one entry per field with its path and message
 * @param incident for unexpected failures, the id also written in the server log
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors, String incident) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
    }

    public static Problem of(ApiError error, String detail, String instance, List<FieldError> errors) {
        return new Problem(error.type(), error.title(), error.status(), detail, instance, errors, null);
    }

    public Response toResponse() {
        return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this).build();
    }
}
