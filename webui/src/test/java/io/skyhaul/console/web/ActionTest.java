package io.skyhaul.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.skyhaul.auth.Role;
import io.skyhaul.http.resources.GatewaysResource;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The console's rights are read from the REST resources' @RolesAllowed: spot checks that they say what the API does. */
class ActionTest {
    static Set<Role> allowed(Action a) {
        return Arrays.stream(Role.values()).filter(a::allows).collect(Collectors.toSet());
    }

    @Test
    void eachActionHasTheRolesOfItsResourceMethod() {
        assertEquals(Set.of(Role.ADMIN), allowed(Action.CREATE_ACCOUNT));
        assertEquals(Set.of(Role.ADMIN, Role.OPERATOR), allowed(Action.TEST_ACCOUNT));
        assertEquals(Set.of(Role.ADMIN, Role.OPERATOR), allowed(Action.ISSUE_PARTNER_TOKEN));
        assertEquals(Set.of(Role.ADMIN, Role.OPERATOR), allowed(Action.CANCEL_TRANSFER));
        assertEquals(Set.of(Role.ADMIN, Role.OPERATOR, Role.READ_ONLY), allowed(Action.VIEW_TRANSFERS));
        assertEquals(Set.of(Role.ADMIN), allowed(Action.VIEW_USERS), "UsersResource is admin-only at class level");
        assertEquals(Set.of(Role.ADMIN), allowed(Action.ISSUE_API_TOKEN));
        assertEquals(false, Action.VIEW_TRANSFERS.allows(null), "no role, no rights");
    }

    @Test
    void gatewayActionsHaveTheRolesOfGatewaysResource() {
        assertEquals(Set.of(Role.ADMIN, Role.OPERATOR, Role.READ_ONLY), allowed(Action.VIEW_GATEWAYS));
        assertEquals(Set.of(Role.ADMIN), allowed(Action.ACTIVATE_GATEWAY), "POST /gateways");
        assertEquals(Set.of(Role.ADMIN), allowed(Action.DEACTIVATE_GATEWAY), "DELETE /gateways/{name}");
        assertEquals(Set.of(Role.ADMIN, Role.OPERATOR), allowed(Action.COMMAND_GATEWAY), "POST /gateways/{name}/commands");
        // One action shows the list, a gateway's page and its commands: only right while the three methods agree.
        Set<String> list = Action.rolesOf(GatewaysResource.class, "list");
        assertEquals(list, Action.rolesOf(GatewaysResource.class, "get"));
        assertEquals(list, Action.rolesOf(GatewaysResource.class, "commands"));
    }

    @Test
    void everyReadOnlyRightIsAView() {
        for (Action a : Action.values()) {
            if (a.allows(Role.READ_ONLY)) {
                assertEquals(true, a.name().startsWith("VIEW_") || a == Action.EXPORT_TRANSFERS, a + " lets read-only users change something");
            }
        }
    }

    @Test
    void aResourceMethodThatDoesNotExistFailsAtOnce() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Action.rolesOf(io.skyhaul.http.resources.NodesResource.class, "explode"));
        assertEquals("NodesResource.explode: expected one such resource method, found 0", e.getMessage());
    }
}
