package io.skyhaul.http.errors;

/** Every error the API can answer, with its HTTP status and the problem type's wire name. */
public enum ApiError {
    INVALID_REQUEST(400, "invalid-request", "The request is not valid"),
    UNAUTHENTICATED(401, "unauthenticated", "Authentication required"),
    FORBIDDEN(403, "forbidden", "Not allowed"),
    NOT_FOUND(404, "not-found", "Not found"),
    CONFLICT(409, "conflict", "Conflict"),
    EXPIRED(410, "expired", "Expired"),
    QUOTA_EXCEEDED(403, "quota-exceeded", "Quota exceeded"),
    TOO_MANY_ATTEMPTS(429, "too-many-attempts", "Too many attempts"),
    NO_NODE_AVAILABLE(503, "no-node-available", "No transfer node available"),
    LENGTH_REQUIRED(411, "length-required", "Length required"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Too large"),
    UNPROCESSABLE(422, "refused-by-rule", "Refused by a rule"),
    BUSY(503, "busy", "Busy: try again later"),
    STORAGE_FAILED(502, "storage-failed", "The storage server refused or failed"),
    INTERNAL(500, "internal", "Internal error");

    private final int status;
    private final String wireName;
    private final String title;

    ApiError(int status, String wireName, String title) {
        this.status = status;
        this.wireName = wireName;
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** The RFC 9457 {@code type}: a relative URI naming the error. */
    public String type() {
        return "/problems/" + wireName;
    }

    public String title() {
        return title;
    }
}
