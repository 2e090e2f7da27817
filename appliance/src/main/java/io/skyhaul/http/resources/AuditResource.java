package io.skyhaul.http.resources;

import io.skyhaul.audit.AuditEntry;
import io.skyhaul.audit.AuditLog;
import io.skyhaul.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The audit trail of admin actions, newest first. */
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {
    private final AuditLog audit;

    public AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME})
    public List<AuditEntry> list(@QueryParam("actor") String actor, @QueryParam("action") String action, @QueryParam("since") String since,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit, @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return audit.list(actor, action, Times.parse(since, "since"), limit, offset);
    }
}
