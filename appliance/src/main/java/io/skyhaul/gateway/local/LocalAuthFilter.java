package io.skyhaul.gateway.local;

import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

/** Every request to the gateway's local API presents the gateway's local token ({@code Authorization: Bearer shl_...}). */
@Priority(Priorities.AUTHENTICATION)
public final class LocalAuthFilter implements ContainerRequestFilter {
    private final LocalApiToken token;

    public LocalAuthFilter(LocalApiToken token) {
        this.token = token;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (!token.matches(presented)) {
            throw new ApiException(ApiError.UNAUTHENTICATED, "the gateway's API needs its local token ('Authorization: Bearer shl_...'),"
                    + " found in " + token.file() + " on the gateway");
        }
    }
}
