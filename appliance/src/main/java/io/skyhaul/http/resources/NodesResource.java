package io.skyhaul.http.resources;

import io.skyhaul.auth.Role;
import io.skyhaul.nodes.NodeRegistry;
import io.skyhaul.nodes.NodeView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/** The node registry: load and health, drain and undrain. */
@Path("nodes")
@Produces(MediaType.APPLICATION_JSON)
public final class NodesResource {
    private final NodeRegistry nodes;

    public NodesResource(NodeRegistry nodes) {
        this.nodes = nodes;
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME})
    public List<NodeView> list() {
        return nodes.list();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME})
    public NodeView get(@PathParam("id") String id) {
        return nodes.get(id);
    }

    @POST
    @Path("{id}/drain")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME})
    public NodeView drain(@Context SecurityContext sc, @PathParam("id") String id) {
        return nodes.setDraining(Callers.of(sc), id, true);
    }

    @POST
    @Path("{id}/undrain")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME})
    public NodeView undrain(@Context SecurityContext sc, @PathParam("id") String id) {
        return nodes.setDraining(Callers.of(sc), id, false);
    }
}
