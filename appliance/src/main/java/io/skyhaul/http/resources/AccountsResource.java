package io.skyhaul.http.resources;

import io.skyhaul.accounts.AccountRequest;
import io.skyhaul.accounts.AccountService;
import io.skyhaul.accounts.StoredAccount;
import io.skyhaul.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/** The credentials vault. Secrets go in, never come out. */
@Path("accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class AccountsResource {
    public record TestRequest(@NotBlank String bucket) {
    }

    public record TestResult(String account, String bucket, boolean ok) {
    }

    private final AccountService accounts;

    public AccountsResource(AccountService accounts) {
        this.accounts = accounts;
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME})
    public List<StoredAccount> list() {
        return accounts.list();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME})
    public StoredAccount get(@PathParam("id") String id) {
        return accounts.get(id);
    }

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    public Response create(@Context SecurityContext sc, @NotNull @Valid AccountRequest r) {
        return Response.status(201).entity(accounts.create(Callers.of(sc), r)).build();
    }

    @PUT
    @Path("{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    public StoredAccount update(@Context SecurityContext sc, @PathParam("id") String id, @NotNull @Valid AccountRequest r) {
        return accounts.update(Callers.of(sc), id, r);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response delete(@Context SecurityContext sc, @PathParam("id") String id) {
        accounts.delete(Callers.of(sc), id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/test")
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME})
    public TestResult test(@Context SecurityContext sc, @PathParam("id") String id, @NotNull @Valid TestRequest r) {
        accounts.testConnection(Callers.of(sc), id, r.bucket());
        return new TestResult(accounts.get(id).name(), r.bucket(), true);
    }
}
