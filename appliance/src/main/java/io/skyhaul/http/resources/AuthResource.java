package io.skyhaul.http.resources;

import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Role;
import io.skyhaul.auth.UserService;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.Instant;

/** Signing in with a password to get an API token, and asking who a token belongs to. */
@Path("auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class AuthResource {
    public record LoginRequest(@NotBlank @Size(max = 100) String username, @NotBlank @Size(max = 1024) String password,
            @Size(max = 100) String tokenName, @Min(1) @Max(3650) Integer days) {
        @Override
        public String toString() {
            return "LoginRequest[username=" + username + "]";
        }
    }

    public record LoginResponse(String token, String tokenId, Instant expiresAt, String username, Role role) {
    }

    public record Whoami(String kind, String id, String name, Role role) {
    }

    private final UserService users;

    public AuthResource(UserService users) {
        this.users = users;
    }

    @POST
    @Path("login")
    @PermitAll
    public LoginResponse login(@NotNull @Valid LoginRequest r) {
        UserService.IssuedToken t = users.login(r.username(), r.password(), r.tokenName() == null ? "login" : r.tokenName(),
                r.days() == null ? UserService.DEFAULT_TOKEN_LIFETIME : Duration.ofDays(r.days()));
        var user = users.get(t.token().userId());
        return new LoginResponse(t.secret(), t.token().id(), t.token().expiresAt(), user.username(), user.role());
    }

    @GET
    @Path("whoami")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME, Role.PARTNER_NAME})
    public Whoami whoami(@Context SecurityContext sc) {
        Principal p = Callers.of(sc);
        return new Whoami(p.kind().name().toLowerCase(java.util.Locale.ROOT), p.id(), p.name(), p.role());
    }
}
