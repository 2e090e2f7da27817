package io.skyhaul.http.resources;

import io.skyhaul.accounts.AccountService;
import io.skyhaul.accounts.StoredAccount;
import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Role;
import io.skyhaul.http.errors.ApiError;
import io.skyhaul.http.errors.ApiException;
import io.skyhaul.partners.PartnerTokenService;
import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.ObjectStores;
import io.skyhaul.storage.StorageException;
import io.skyhaul.transfers.Location;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/** Listing objects under a location (what {@code skyhaul ls} shows). A partner may list only inside its token's location. */
@Path("objects")
@Produces(MediaType.APPLICATION_JSON)
public final class ObjectsResource {
    private final AccountService accounts;
    private final PartnerTokenService partners;

    public ObjectsResource(AccountService accounts, PartnerTokenService partners) {
        this.accounts = accounts;
        this.partners = partners;
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME, Role.PARTNER_NAME})
    public List<ObjectInfo> list(@Context SecurityContext sc, @QueryParam("location") @NotBlank String text) {
        Location location = Location.ofRequest(text);
        Principal caller = Callers.of(sc);
        if (caller.isPartner()) {
            var token = partners.get(caller.id());
            if (!Location.parse(token.location()).contains(location)) {
                throw ApiException.forbidden("partner token '" + token.name() + "' is limited to " + token.location() + "; " + location + " is outside it");
            }
        }
        StoredAccount account = accounts.accountOf(location);
        try (ObjectStore store = ObjectStores.open(accounts.credentials(account.id()), location.bucket())) {
            return store.list(location.prefix());
        } catch (StorageException e) {
            throw new ApiException(ApiError.STORAGE_FAILED, "cannot list " + location + ": " + e.getMessage());
        }
    }
}
