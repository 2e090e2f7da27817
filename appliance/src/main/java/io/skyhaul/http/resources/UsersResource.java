package io.skyhaul.http.resources;

import io.skyhaul.auth.ApiToken;
import io.skyhaul.auth.Role;
import io.skyhaul.auth.User;
import io.skyhaul.auth.UserService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.List;

/** Users and their API tokens: admins only. */
@Path("users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public final class UsersResource {
    public record NewUser(@NotBlank @Pattern(regexp = "[A-Za-z0-9._@-]{1,64}", message = "must be 1-64 letters, digits or . _ @ -") String username,
            @NotBlank @Size(max = 1024) String password, @NotNull Role role) {
        @Override
        public String toString() {
            return "NewUser[" + username + "]";
        }
    }

    public record UserChange(Role role, Boolean disabled, @Size(max = 1024) String password) {
    }

    public record NewToken(@NotBlank @Size(max = 100) String name, Instant expiresAt) {
    }

    public record IssuedToken(String token, ApiToken details) {
    }

    private final UserService users;

    public UsersResource(UserService users) {
        this.users = users;
    }

    @GET
    public List<User> list() {
        return users.list();
    }

    @POST
    public Response create(@Context SecurityContext sc, @NotNull @Valid NewUser r) {
        User u = users.create(Callers.of(sc), r.username(), r.password(), r.role());
        return Response.status(201).entity(u).build();
    }

    @GET
    @Path("{id}")
    public User get(@PathParam("id") String id) {
        return users.get(id);
    }

    @PATCH
    @Path("{id}")
    public User update(@Context SecurityContext sc, @PathParam("id") String id, @NotNull @Valid UserChange r) {
        return users.update(Callers.of(sc), id, r.role(), r.disabled(), r.password());
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext sc, @PathParam("id") String id) {
        users.delete(Callers.of(sc), id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/tokens")
    public List<ApiToken> tokens(@PathParam("id") String id) {
        return users.tokens(id);
    }

    @POST
    @Path("{id}/tokens")
    public Response issueToken(@Context SecurityContext sc, @PathParam("id") String id, @NotNull @Valid NewToken r) {
        UserService.IssuedToken t = users.issueToken(Callers.of(sc), id, r.name(), r.expiresAt());
        return Response.status(201).entity(new IssuedToken(t.secret(), t.token())).build();
    }

    @DELETE
    @Path("{id}/tokens/{tokenId}")
    public Response revokeToken(@Context SecurityContext sc, @PathParam("id") String id, @PathParam("tokenId") String tokenId) {
        users.revokeToken(Callers.of(sc), id, tokenId);
        return Response.noContent().build();
    }
}
