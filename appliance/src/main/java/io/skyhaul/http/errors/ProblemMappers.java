package io.skyhaul.http.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers. A known error keeps its status and
 * message; invalid input names each field; anything unexpected becomes a 500 with an incident
 * id that is also in the log, and never a stack trace on the wire.
 */
public final class ProblemMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMappers.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ProblemMappers() {
    }

    public static List<Class<?>> all() {
        return List.of(Known.class, Invalid.class, BadJson.class, Web.class, Unexpected.class);
    }

    static String instance(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    public static final class Known implements ExceptionMapper<ApiException> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(ApiException e) {
            return Problem.of(e.error(), e.getMessage(), instance(uri), e.fieldErrors()).toResponse();
        }
    }

    /** Bean Validation failures: the field path without the Java method and parameter names. */
    public static final class Invalid implements ExceptionMapper<ConstraintViolationException> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(ConstraintViolationException e) {
            List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                    .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                    .sorted(java.util.Comparator.comparing(Problem.FieldError::field))
                    .toList();
            String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
            return Problem.of(ApiError.INVALID_REQUEST, detail, instance(uri), errors).toResponse();
        }

        static String field(ConstraintViolation<?> v) {
            StringBuilder out = new StringBuilder();
            Path.MethodNode method = null;
            for (Path.Node node : v.getPropertyPath()) {
                if (node.getKind() == ElementKind.METHOD) {
                    method = node.as(Path.MethodNode.class);
                    continue;
                }
                if (node.getKind() == ElementKind.PARAMETER) {
                    // A query, path or header parameter is named as the client wrote it; the body has no name.
                    requestParameter(v.getRootBeanClass(), method, node.as(Path.ParameterNode.class).getParameterIndex()).ifPresent(out::append);
                    continue;
                }
                if (node.getKind() == ElementKind.CROSS_PARAMETER || node.getKind() == ElementKind.RETURN_VALUE) {
                    continue;
                }
                if (node.getIndex() != null) {
                    out.append('[').append(node.getIndex()).append(']');
                }
                if (node.getName() != null && !node.getName().startsWith("<")) {
                    out.append(out.length() == 0 ? "" : ".").append(fieldName(node.getName()));
                }
            }
            return out.length() == 0 ? "body" : out.toString();
        }

        /** The name of a resource method's {@code @QueryParam}, {@code @PathParam} or {@code @HeaderParam} parameter. */
        static java.util.Optional<String> requestParameter(Class<?> resource, Path.MethodNode method, int index) {
            if (resource == null || method == null) {
                return java.util.Optional.empty();
            }
            try {
                java.lang.reflect.Method m = resource.getMethod(method.getName(), method.getParameterTypes().toArray(Class<?>[]::new));
                for (java.lang.annotation.Annotation a : m.getParameterAnnotations()[index]) {
                    if (a instanceof jakarta.ws.rs.QueryParam q) {
                        return java.util.Optional.of(q.value());
                    }
                    if (a instanceof jakarta.ws.rs.PathParam q) {
                        return java.util.Optional.of(q.value());
                    }
                    if (a instanceof jakarta.ws.rs.HeaderParam q) {
                        return java.util.Optional.of(q.value());
                    }
                }
            } catch (NoSuchMethodException | IndexOutOfBoundsException e) {
                // Not a public resource method: no request name to give.
            }
            return java.util.Optional.empty();
        }

        /**
         * A cross-field check written as {@code @AssertTrue boolean isEndpointValid()} is reported
         * under the field it checks ({@code endpoint}), the name the client wrote, not the getter's.
         */
        public static String fieldName(String property) {
            return property.length() > "Valid".length() && property.endsWith("Valid")
                    ? property.substring(0, property.length() - "Valid".length()) : property;
        }
    }

    /** A body that is not JSON, or JSON of the wrong shape. */
    public static final class BadJson implements ExceptionMapper<JsonProcessingException> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(JsonProcessingException e) {
            if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
                String field = m.getPath().stream()
                        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[");
                String message = message(m);
                return Problem.of(ApiError.INVALID_REQUEST, field + ": " + message, instance(uri),
                        List.of(new Problem.FieldError(field, message))).toResponse();
            }
            return Problem.of(ApiError.INVALID_REQUEST, "the body is not valid JSON: " + withoutJavaTypes(e.getOriginalMessage()),
                    instance(uri), List.of()).toResponse();
        }

        /** What was wrong with the field, in the API's terms: never a Java class name. */
        static String message(JsonMappingException m) {
            if (m instanceof UnrecognizedPropertyException) {
                return "unknown field";
            }
            if (m instanceof ValueInstantiationException && m.getCause() instanceof IllegalArgumentException a && a.getMessage() != null) {
                return a.getMessage();
            }
            if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
                Object value = m instanceof InvalidFormatException f ? f.getValue() : null;
                return (value != null ? "'" + value + "' is not valid: " : "") + "must be " + expected(mi.getTargetType(), m.getOriginalMessage());
            }
            return withoutJavaTypes(m.getOriginalMessage());
        }

        private static String expected(Class<?> type, String original) {
            if (type.isEnum()) {
                java.util.regex.Matcher values = java.util.regex.Pattern.compile("\\[([^\\]]*)]").matcher(withoutJavaTypes(original));
                return values.find() ? "one of " + values.group(1) : "one of the allowed values";
            }
            if (type == int.class || type == long.class || type == short.class || type == Integer.class || type == Long.class || type == Short.class) {
                return "an integer";
            }
            if (type.isPrimitive() && type != boolean.class || Number.class.isAssignableFrom(type)) {
                return "a number";
            }
            if (type == boolean.class || type == Boolean.class) {
                return "true or false";
            }
            if (type == String.class) {
                return "a string";
            }
            if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
                return "an ISO-8601 time such as 2026-11-22T00:00:00Z";
            }
            if (type == java.net.URI.class) {
                return "a URL";
            }
            if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
                return "a list";
            }
            return "an object";
        }

        static String withoutJavaTypes(String message) {
            return message.replaceAll("\\s*at \\[Source.*", "").replaceAll("\\(class [^)]*\\)", "")
                    .replaceAll("`(?:[\\w$]+\\.)*([\\w$<>]+)`", "$1").replaceAll("\\b(?:[a-z]\\w*\\.)+([A-Z][\\w]*\\$)?([A-Z]\\w*)", "$2").trim();
        }
    }

    /** JAX-RS's own errors (404 for an unknown path, 405, 406, 415): same status, problem body. */
    public static final class Web implements ExceptionMapper<WebApplicationException> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status >= 500) {
                return new Unexpected().toResponse(e);
            }
            ApiError error = switch (status) {
                case 401 -> ApiError.UNAUTHENTICATED;
                case 403 -> ApiError.FORBIDDEN;
                case 404 -> ApiError.NOT_FOUND;
                case 409 -> ApiError.CONFLICT;
                default -> ApiError.INVALID_REQUEST;
            };
            String reason = e.getResponse().getStatusInfo().getReasonPhrase();
            Problem p = new Problem(error.type(), reason == null ? error.title() : reason, status,
                    status == 404 ? "no such resource" : reason, instance(uri), List.of(), null);
            Response.ResponseBuilder b = Response.status(status).type(Problem.MEDIA_TYPE).entity(p);
            e.getResponse().getHeaders().forEach((k, v) -> {
                if (k.equalsIgnoreCase("Allow") || k.equalsIgnoreCase("WWW-Authenticate")) {
                    v.forEach(x -> b.header(k, x));
                }
            });
            return b.build();
        }
    }

    public static final class Unexpected implements ExceptionMapper<Throwable> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(Throwable e) {
            String incident = HexFormat.of().formatHex(randomBytes());
            LOG.error("incident {}: {} {}", incident, instance(uri), e.toString(), e);
            return new Problem(ApiError.INTERNAL.type(), ApiError.INTERNAL.title(), 500,
                    "an unexpected error occurred; give the incident id " + incident + " to your administrator", instance(uri), List.of(), incident)
                    .toResponse();
        }

        private static byte[] randomBytes() {
            byte[] b = new byte[6];
            RANDOM.nextBytes(b);
            return b;
        }
    }
}
