package io.skyhaul.http.resources;

import io.skyhaul.auth.Role;
import io.skyhaul.nodes.NodeKey;
import io.skyhaul.nodes.NodeKeys;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/** Node keys, admin only: issued for a node name (the key shown once), listed, revoked. */
@Path("node-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class NodeKeysResource {
    /** @param name the node's name: the name it registers and appears under */
    public record NodeKeyRequest(@NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}",
            message = "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit") String name) {
    }

    private final NodeKeys keys;

    public NodeKeysResource(NodeKeys keys) {
        this.keys = keys;
    }

    @GET
    @RolesAllowed(Role.ADMIN_NAME)
    public List<NodeKey> list() {
        return keys.list();
    }

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    public Response issue(@Context SecurityContext sc, @NotNull @Valid NodeKeyRequest r) {
        return Response.status(201).entity(keys.issue(Callers.of(sc), r.name())).build();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    public NodeKey revoke(@Context SecurityContext sc, @PathParam("id") String id) {
        keys.revoke(Callers.of(sc), id);
        return keys.get(id);
    }
}
