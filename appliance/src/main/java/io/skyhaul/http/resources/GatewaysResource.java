package io.skyhaul.http.resources;

import io.skyhaul.auth.Role;
import io.skyhaul.gateways.GatewayMessages;
import io.skyhaul.gateways.GatewayService;
import io.skyhaul.gateways.GatewayView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/** Gateways, for admins and operators: activate by code, status, commands, deactivate. */
@Path("gateways")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class GatewaysResource {
    private final GatewayService gateways;

    public GatewaysResource(GatewayService gateways) {
        this.gateways = gateways;
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME})
    public List<GatewayView> list() {
        return gateways.list();
    }

    /** Activates the gateway showing {@code code} under {@code name}. */
    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    public Response activate(@Context SecurityContext sc, @NotNull @Valid GatewayMessages.Activate r) {
        return Response.status(201).entity(gateways.activate(Callers.of(sc), r.code(), r.name())).build();
    }

    @GET
    @Path("{name}")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME})
    public GatewayView get(@PathParam("name") String name) {
        return gateways.get(name);
    }

    @DELETE
    @Path("{name}")
    @RolesAllowed(Role.ADMIN_NAME)
    public GatewayView deactivate(@Context SecurityContext sc, @PathParam("name") String name) {
        return gateways.deactivate(Callers.of(sc), name);
    }

    @POST
    @Path("{name}/commands")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME})
    public Response command(@Context SecurityContext sc, @PathParam("name") String name, @NotNull @Valid GatewayMessages.CommandRequest r) {
        return Response.status(201).entity(gateways.command(Callers.of(sc), name, r)).build();
    }

    @GET
    @Path("{name}/commands")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME})
    public List<GatewayMessages.Command> commands(@PathParam("name") String name,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return gateways.commands(name, limit);
    }

    @GET
    @Path("{name}/commands/{seq}")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME})
    public GatewayMessages.Command commandOf(@PathParam("name") String name, @PathParam("seq") String seq) {
        return gateways.command(name, Seqs.parse(seq));
    }
}
