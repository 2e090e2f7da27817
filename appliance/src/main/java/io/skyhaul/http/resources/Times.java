package io.skyhaul.http.resources;

import io.skyhaul.http.errors.ApiException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Query parameters that are times: ISO-8601 instants such as 2026-11-22T00:00:00Z. */
final class Times {
    private Times() {
    }

    static Instant parse(String value, String name) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name, "'" + value + "' is not an ISO-8601 instant such as 2026-11-22T00:00:00Z");
        }
    }
}
