package io.skyhaul.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.auth.Role;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningAppliance.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deny by default, checked over every resource method the API has (found by reflection): each
 * says who may call it; without a valid token each refuses with 401; a read-only user can change
 * nothing; an operator cannot manage users or storage accounts.
 */
@Timeout(90)
class ApiAuthorizationTest {
    static final Set<String> KNOWN_ROLES = Set.of(Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.READ_ONLY_NAME, Role.PARTNER_NAME,
            Role.NODE_NAME, Role.GATEWAY_NAME);
    /**
     * Endpoints anyone may call. Adding one here is a security decision. A new gateway has no
     * credentials yet: it asks for an activation code and asks whether an admin entered it.
     */
    static final Set<String> PUBLIC = Set.of("POST /api/v1/auth/login", "GET /api/v1/openapi.json", "POST /api/v1/gateway/activations",
            "GET /api/v1/gateway/activations/{id}");
    static final String BODY = "{}";

    @TempDir
    static Path tmp;
    static RunningAppliance appliance;
    static List<ResourceMethods> endpoints;

    @BeforeAll
    static void start() throws Exception {
        appliance = RunningAppliance.start(tmp.resolve("data"));
        endpoints = ResourceMethods.all();
        assertTrue(endpoints.size() >= 25, "found only " + endpoints);
    }

    @AfterAll
    static void stop() {
        appliance.close();
    }

    static Reply call(ResourceMethods e, String token) {
        return appliance.request(e.httpMethod(), e.concretePath("0123456789abcdef"), e.changesSomething() ? BODY : null, token);
    }

    @Test
    void everyResourceMethodSaysWhoMayCallIt() {
        List<String> unguarded = new ArrayList<>();
        for (ResourceMethods e : endpoints) {
            if (e.permitAll() == !e.roles().isEmpty()) {
                unguarded.add(e + (e.permitAll() ? ": both @PermitAll and @RolesAllowed" : ": neither @PermitAll nor @RolesAllowed"));
            }
            assertTrue(KNOWN_ROLES.containsAll(e.roles()), e + " names an unknown role: " + e.roles());
        }
        assertEquals(List.of(), unguarded);
        List<String> open = endpoints.stream().filter(ResourceMethods::permitAll).map(e -> e.httpMethod() + " " + e.path()).toList();
        assertEquals(PUBLIC, Set.copyOf(open), "the endpoints open to anyone");
    }

    @Test
    void withoutAValidTokenEveryEndpointAnswers401() {
        List<String> wrong = new ArrayList<>();
        for (ResourceMethods e : endpoints) {
            if (e.permitAll()) {
                continue;
            }
            for (String token : new String[] {null, "shk_" + "A".repeat(43), "shp_not-a-partner-token", "garbage"}) {
                Reply r = call(e, token);
                if (r.status() != 401 || !r.isProblem() || !r.json().path("detail").asText().toLowerCase().contains("token")) {
                    wrong.add(e + " with token " + token + " -> " + r);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aBasicAuthorizationHeaderIsRefused() {
        Reply r = appliance.request("GET", "/api/v1/transfers", null, null);
        assertEquals(401, r.status());
        var http = java.net.http.HttpClient.newHttpClient();
        try {
            var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(appliance.baseUrl() + "/api/v1/transfers"))
                    .header("Authorization", "Basic YWRtaW46" + "eA==").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(401, response.statusCode(), response.body());
            assertTrue(response.body().contains("Bearer"), response.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aReadOnlyUserCanReadButChangeNothing() {
        String token = appliance.userToken("auditor", "read-only");
        List<String> wrong = new ArrayList<>();
        for (ResourceMethods e : endpoints) {
            if (e.permitAll()) {
                continue;
            }
            boolean allowed = e.roles().contains(Role.READ_ONLY_NAME);
            if (e.changesSomething() && allowed) {
                wrong.add(e + " lets a read-only user change something");
            }
            if (!allowed) {
                Reply r = call(e, token);
                if (r.status() != 403 || !r.json().path("detail").asText().contains("role 'read-only' may not do this")) {
                    wrong.add(e + " -> " + r);
                }
            }
        }
        assertEquals(List.of(), wrong);
        for (String readable : List.of("transfers", "accounts", "nodes", "audit", "partner-tokens", "auth/whoami", "transfers/export")) {
            assertEquals(200, appliance.get(readable, token).status(), readable);
        }
        // Nothing was created by the refused calls.
        JsonNode accounts = appliance.expect(200, appliance.get("accounts", appliance.adminToken()));
        assertEquals(1, accounts.size(), accounts.toString());
        assertEquals(0, appliance.expect(200, appliance.get("partner-tokens", appliance.adminToken())).size());
        assertEquals(0, appliance.expect(200, appliance.get("transfers", appliance.adminToken())).size());
    }

    @Test
    void anOperatorCannotManageUsersOrAccounts() {
        String token = appliance.userToken("ops", "operator");
        List<String> wrong = new ArrayList<>();
        for (ResourceMethods e : endpoints) {
            boolean usersOrAccounts = e.path().startsWith("/api/v1/users") || (e.path().startsWith("/api/v1/accounts") && e.changesSomething()
                    && !e.path().endsWith("/test"));
            if (!usersOrAccounts) {
                continue;
            }
            Reply r = call(e, token);
            if (r.status() != 403) {
                wrong.add(e + " -> " + r);
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(200, appliance.get("accounts", token).status(), "an operator may list accounts");
        JsonNode me = appliance.expect(200, appliance.get("auth/whoami", token));
        assertEquals("operator", me.path("role").asText());
    }

    @Test
    void aRevokedApiTokenIsRefused() {
        String token = appliance.userToken("leaver", "operator");
        JsonNode me = appliance.expect(200, appliance.get("auth/whoami", token));
        String userId = me.path("id").asText();
        JsonNode tokens = appliance.expect(200, appliance.get("users/" + userId + "/tokens", appliance.adminToken()));
        for (JsonNode t : tokens) {
            assertEquals(204, appliance.request("DELETE", "/api/v1/users/" + userId + "/tokens/" + t.path("id").asText(), null,
                    appliance.adminToken()).status());
        }
        Reply r = appliance.get("transfers", token);
        assertEquals(401, r.status(), r.toString());
        assertFalse(r.body().contains(token));
    }
}
