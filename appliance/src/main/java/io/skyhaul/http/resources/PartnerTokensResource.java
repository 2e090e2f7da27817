package io.skyhaul.http.resources;

import io.skyhaul.auth.Role;
import io.skyhaul.partners.PartnerToken;
import io.skyhaul.partners.PartnerTokenRequest;
import io.skyhaul.partners.PartnerTokenService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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

/** Partner tokens: issued (shown once), listed with usage, revoked. */
@Path("partner-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class PartnerTokensResource {
    public record Issued(String token, PartnerToken details) {
    }

    private final PartnerTokenService partners;

    public PartnerTokensResource(PartnerTokenService partners) {
        this.partners = partners;
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME})
    public List<PartnerToken> list() {
        return partners.list();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME})
    public PartnerToken get(@PathParam("id") String id) {
        return partners.get(id);
    }

    @POST
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME})
    public Response issue(@Context SecurityContext sc, @NotNull @Valid PartnerTokenRequest r) {
        PartnerTokenService.Issued issued = partners.issue(Callers.of(sc), r);
        return Response.status(201).entity(new Issued(issued.secret(), issued.token())).build();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME})
    public PartnerToken revoke(@Context SecurityContext sc, @PathParam("id") String id) {
        return partners.revoke(Callers.of(sc), id);
    }
}
