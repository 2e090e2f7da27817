package io.skyhaul.http.resources;

import io.skyhaul.accounts.AccountService;
import io.skyhaul.accounts.StoredAccount;
import io.skyhaul.audit.AuditLog;
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
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Map;

/**
 * Listing objects under a location (what {@code skyhaul ls} shows; a partner may list only inside
 * its token's location), and deleting one (operators, and gateways mirroring a folder with
 * {@code propagateDeletes}); every delete is audited.
 */
@Path("objects")
@Produces(MediaType.APPLICATION_JSON)
public final class ObjectsResource {
    private final AccountService accounts;
    private final PartnerTokenService partners;
    private final AuditLog audit;

    public ObjectsResource(AccountService accounts, PartnerTokenService partners, AuditLog audit) {
        this.accounts = accounts;
        this.partners = partners;
        this.audit = audit;
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

    /** Deletes the one object a location names (no prefix deletes); 404 when there is none. */
    @DELETE
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.GATEWAY_NAME})
    public Map<String, Object> delete(@Context SecurityContext sc, @QueryParam("location") @NotBlank String text) {
        Location location = Location.ofRequest(text);
        if (location.prefix().isEmpty() || text.endsWith("/")) {
            throw ApiException.invalid("location", "name one object (scheme://account/bucket/key), not a prefix: deletes go one object at a time");
        }
        String key = location.prefix().substring(0, location.prefix().length() - 1);
        String named = location.scheme() + "://" + location.account() + "/" + location.bucket() + "/" + key;
        StoredAccount account = accounts.accountOf(location);
        try (ObjectStore store = ObjectStores.open(accounts.credentials(account.id()), location.bucket())) {
            if (!store.delete(key)) {
                throw ApiException.notFound("object " + named);
            }
        } catch (StorageException e) {
            throw new ApiException(ApiError.STORAGE_FAILED, "cannot delete " + named + ": " + e.getMessage());
        }
        audit.record(Callers.of(sc).describe(), "object.delete", named, null);
        return Map.of("deleted", named);
    }
}
