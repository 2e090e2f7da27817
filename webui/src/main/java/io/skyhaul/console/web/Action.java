package io.skyhaul.console.web;

import io.skyhaul.auth.Role;
import io.skyhaul.http.resources.AccountsResource;
import io.skyhaul.http.resources.AuditResource;
import io.skyhaul.http.resources.GatewaysResource;
import io.skyhaul.http.resources.NodesResource;
import io.skyhaul.http.resources.PartnerTokensResource;
import io.skyhaul.http.resources.TransfersResource;
import io.skyhaul.http.resources.UsersResource;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a console page or button does, and who may do it. The roles are not written here: each
 * action names the REST resource method that does the same thing, and its {@code @RolesAllowed}
 * (on the method, or else on the class) is the rule. One rule for both doors; a renamed resource
 * method fails the console's start-up rather than silently opening a page.
 */
public enum Action {
    VIEW_TRANSFERS(TransfersResource.class, "list"),
    EXPORT_TRANSFERS(TransfersResource.class, "export"),
    CANCEL_TRANSFER(TransfersResource.class, "cancel"),
    VIEW_ACCOUNTS(AccountsResource.class, "list"),
    CREATE_ACCOUNT(AccountsResource.class, "create"),
    UPDATE_ACCOUNT(AccountsResource.class, "update"),
    DELETE_ACCOUNT(AccountsResource.class, "delete"),
    TEST_ACCOUNT(AccountsResource.class, "test"),
    VIEW_PARTNER_TOKENS(PartnerTokensResource.class, "list"),
    ISSUE_PARTNER_TOKEN(PartnerTokensResource.class, "issue"),
    REVOKE_PARTNER_TOKEN(PartnerTokensResource.class, "revoke"),
    VIEW_NODES(NodesResource.class, "list"),
    DRAIN_NODE(NodesResource.class, "drain"),
    UNDRAIN_NODE(NodesResource.class, "undrain"),
    VIEW_USERS(UsersResource.class, "list"),
    CREATE_USER(UsersResource.class, "create"),
    UPDATE_USER(UsersResource.class, "update"),
    DELETE_USER(UsersResource.class, "delete"),
    ISSUE_API_TOKEN(UsersResource.class, "issueToken"),
    REVOKE_API_TOKEN(UsersResource.class, "revokeToken"),
    VIEW_AUDIT(AuditResource.class, "list"),
    /** The list, and one gateway's page with its commands: {@code list}, {@code get} and {@code commands} have the same roles (ActionTest checks). */
    VIEW_GATEWAYS(GatewaysResource.class, "list"),
    ACTIVATE_GATEWAY(GatewaysResource.class, "activate"),
    DEACTIVATE_GATEWAY(GatewaysResource.class, "deactivate"),
    COMMAND_GATEWAY(GatewaysResource.class, "command");

    private final Set<String> roles;

    Action(Class<?> resource, String method) {
        this.roles = rolesOf(resource, method);
    }

    public boolean allows(Role role) {
        return role != null && roles.contains(role.wireName());
    }

    static Set<String> rolesOf(Class<?> resource, String name) {
        Method[] matching = Arrays.stream(resource.getMethods()).filter(m -> m.getName().equals(name)).toArray(Method[]::new);
        if (matching.length != 1) {
            throw new IllegalStateException(resource.getSimpleName() + "." + name + ": expected one such resource method, found " + matching.length);
        }
        RolesAllowed allowed = matching[0].getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            allowed = resource.getAnnotation(RolesAllowed.class);
        }
        if (allowed == null) {
            throw new IllegalStateException(resource.getSimpleName() + "." + name + " has no @RolesAllowed");
        }
        return Arrays.stream(allowed.value()).collect(Collectors.toUnmodifiableSet());
    }
}
