package io.skyhaul.http.resources;

import io.skyhaul.auth.Role;
import io.skyhaul.gateways.GatewayActivations;
import io.skyhaul.gateways.GatewayCommands;
import io.skyhaul.gateways.GatewayMessages;
import io.skyhaul.gateways.GatewayRegistry;
import io.skyhaul.gateways.GatewayService;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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
import java.time.Duration;
import java.util.List;

/**
 * The gateway channel: what a gateway says to its manager. It opens every connection itself (a
 * facility needs no inbound port): it asks for an activation code and waits for an admin to enter
 * it (no credentials yet, so these two are open to anyone, and bounded), then, with its gateway
 * key, long-polls its commands, answers them and reports its status.
 */
@Path("gateway")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class GatewayChannelResource {
    private final GatewayRegistry registry;
    private final GatewayActivations activations;
    private final GatewayCommands commands;

    public GatewayChannelResource(GatewayService gateways) {
        this.registry = gateways.registry();
        this.activations = gateways.activations();
        this.commands = gateways.commands();
    }

    @POST
    @Path("activations")
    @PermitAll
    public Response requestActivation(@Context HttpServletRequest http, @NotNull @Valid GatewayMessages.ActivationRequest r) {
        return Response.status(201).entity(activations.request(r, http.getRemoteAddr())).build();
    }

    @GET
    @Path("activations/{id}")
    @PermitAll
    public GatewayMessages.ActivationState activation(@PathParam("id") String id) {
        return activations.state(id);
    }

    /** The commands after {@code after} not yet answered, waiting up to {@code waitSeconds} for one. */
    @GET
    @Path("commands")
    @RolesAllowed(Role.GATEWAY_NAME)
    public List<GatewayMessages.Command> commands(@Context SecurityContext sc, @QueryParam("after") @DefaultValue("0") @Min(0) long after,
            @QueryParam("waitSeconds") @DefaultValue("20") @Min(0) @Max(60) int waitSeconds) {
        String name = heardFrom(sc);
        try {
            return commands.poll(name, after, Duration.ofSeconds(waitSeconds));
        } catch (InterruptedException e) {
            // The manager is stopping: the gateway polls again (elsewhere, or once it is back).
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @POST
    @Path("commands/{seq}/result")
    @RolesAllowed(Role.GATEWAY_NAME)
    public GatewayMessages.Command result(@Context SecurityContext sc, @PathParam("seq") String seq, @NotNull @Valid GatewayMessages.CommandResult r) {
        return commands.result(heardFrom(sc), Seqs.parse(seq), r);
    }

    @POST
    @Path("status")
    @RolesAllowed(Role.GATEWAY_NAME)
    public Response status(@Context SecurityContext sc, @NotNull @Valid GatewayMessages.Status status) {
        String name = Callers.of(sc).name();
        activations.claimed(name);
        registry.report(name, status);
        return Response.noContent().build();
    }

    private String heardFrom(SecurityContext sc) {
        String name = Callers.of(sc).name();
        activations.claimed(name);
        registry.contact(name);
        return name;
    }
}
