package io.skyhaul.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.testing.RunningAppliance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles in the console are the REST API's: a read-only user sees no button that would change
 * anything, and the server refuses each change anyway (with a valid session and CSRF token);
 * an operator may do what the API lets an operator do, and no more.
 */
@Timeout(120)
class RolesTest {
    @TempDir
    static Path data;
    static RunningAppliance appliance;
    static String transferId;
    static String partnerTokenId;

    @BeforeAll
    static void start() throws Exception {
        appliance = RunningAppliance.start(data);
        appliance.userToken("rita", "read-only");
        appliance.userToken("otto", "operator");
        Path file = Files.write(data.resolve("a.bin"), new byte[1000]);
        transferId = appliance.expect(201, appliance.createUpload(appliance.adminToken(), List.of(file), "local://local/inbox/roles/"))
                .path("transfer").path("id").asText();
        partnerTokenId = appliance.expect(201, appliance.post("partner-tokens", java.util.Map.of("name", "p", "location", "local://local/inbox/p/",
                "direction", "upload", "expiresAt", "2099-01-01T00:00:00Z"), appliance.adminToken())).path("details").path("id").asText();
    }

    @AfterAll
    static void stop() {
        if (appliance != null) {
            appliance.close();
        }
    }

    /** Every form on the page that POSTs somewhere other than sign-out. */
    static List<String> changeForms(String html) {
        Matcher m = Pattern.compile("<form[^>]*method=\"post\"[^>]*action=\"([^\"]+)\"").matcher(html);
        List<String> actions = new java.util.ArrayList<>();
        while (m.find()) {
            if (!m.group(1).equals("/signout")) {
                actions.add(m.group(1));
            }
        }
        return actions;
    }

    @Test
    void aReadOnlyUserSeesNoChangeButtons() {
        ConsoleHttp rita = new ConsoleHttp(appliance.baseUrl()).signIn("rita", "password-of-rita");
        for (String page : List.of("/", "/transfers", "/transfers/" + transferId, "/accounts", "/accounts/local", "/partner-tokens", "/nodes", "/audit", "/gateways")) {
            ConsoleHttp.Page p = rita.get(page);
            assertEquals(200, p.status(), page + ": " + p);
            assertEquals(List.of(), changeForms(p.body()), page + " offers changes to a read-only user");
            assertFalse(p.body().contains("<button type=\"submit\" id=\"save\""), page);
        }
        String accounts = rita.get("/accounts").body();
        assertFalse(accounts.contains("/accounts/new"), "no 'new account' buttons");
        assertTrue(rita.get("/accounts/local").body().contains("<fieldset disabled=\"disabled\">"), "the settings are shown read-only");
        assertFalse(rita.get("/").body().contains("href=\"/users\""), "no users page in the menu");
        assertEquals(403, rita.get("/users").status());
        assertEquals(403, rita.get("/accounts/new?kind=s3").status());
    }

    @Test
    void theServerRefusesEveryChangeFromAReadOnlyUser() {
        ConsoleHttp rita = new ConsoleHttp(appliance.baseUrl()).signIn("rita", "password-of-rita");
        String adminId = UserIds.adminId(appliance);
        List<String[]> posts = List.of(new String[] {"/accounts", "kind", "local", "name", "sneaky", "local.path", "/tmp"},
                new String[] {"/accounts/local", "kind", "local", "name", "renamed", "local.path", "/tmp"},
                new String[] {"/accounts/local/test", "bucket", "inbox"},
                new String[] {"/accounts/local/delete"},
                new String[] {"/partner-tokens", "name", "sneaky", "location", "local://local/inbox/", "direction", "upload", "expiresAt", "2099-01-01"},
                new String[] {"/partner-tokens/" + partnerTokenId + "/revoke"},
                new String[] {"/transfers/" + transferId + "/cancel"},
                new String[] {"/nodes/local/drain"},
                new String[] {"/users", "username", "sneaky", "password", "long-enough-password", "role", "admin"},
                new String[] {"/users/" + adminId, "role", "read-only"},
                new String[] {"/users/" + adminId + "/tokens", "name", "sneaky"},
                new String[] {"/gateways", "code", "ABCD-EFGH", "name", "sneaky"});
        for (String[] post : posts) {
            String[] fields = java.util.Arrays.copyOfRange(post, 1, post.length);
            ConsoleHttp.Page p = rita.post(post[0], fields);
            assertEquals(403, p.status(), post[0] + ": " + p);
            assertTrue(p.body().contains("Your role (read-only) does not allow this."), p.body());
        }
        assertEquals("local", appliance.get("accounts/local", appliance.adminToken()).json().path("name").asText());
        assertEquals(1, appliance.get("accounts", appliance.adminToken()).json().size(), "no account added");
        assertEquals("waiting", appliance.get("transfers/" + transferId, appliance.adminToken()).json().path("transfer").path("state").asText());
        assertEquals("active", appliance.get("nodes/local", appliance.adminToken()).json().path("state").asText());
        var tokens = appliance.get("partner-tokens", appliance.adminToken()).json();
        assertEquals(1, tokens.size(), "no token issued");
        assertTrue(tokens.get(0).path("revokedAt").isNull() || tokens.get(0).path("revokedAt").isMissingNode(), "not revoked: " + tokens);
        assertEquals(3, appliance.get("users", appliance.adminToken()).json().size(), "admin, rita, otto");
    }

    @Test
    void anOperatorRunsTransfersAndTokensButNotAccountsOrUsers() {
        ConsoleHttp otto = new ConsoleHttp(appliance.baseUrl()).signIn("otto", "password-of-otto");
        String tokens = otto.get("/partner-tokens").body();
        assertTrue(tokens.contains("id=\"issue-form\""), "operators issue partner tokens, as in the API");
        assertTrue(otto.get("/nodes").body().contains("id=\"drain\""));
        assertTrue(otto.get("/accounts/local").body().contains("id=\"test-connection\""), "operators may test a connection");
        assertFalse(otto.get("/accounts/local").body().contains("id=\"save\""), "but not edit the account");
        assertEquals(403, otto.post("/accounts/local", "kind", "local", "name", "local", "local.path", "/tmp").status());
        assertEquals(403, otto.get("/users").status());
        assertEquals(200, otto.post("/accounts/local/test", "bucket", "inbox").status());
    }
}
