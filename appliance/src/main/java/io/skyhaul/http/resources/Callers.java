package io.skyhaul.http.resources;

import io.skyhaul.auth.Principal;
import jakarta.ws.rs.core.SecurityContext;

/** The authenticated caller of a request (set by AuthFilter). */
final class Callers {
    private Callers() {
    }

    static Principal of(SecurityContext context) {
        return (Principal) context.getUserPrincipal();
    }
}
