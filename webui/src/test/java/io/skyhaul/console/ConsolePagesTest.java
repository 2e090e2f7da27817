package io.skyhaul.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.testing.RunningAppliance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every page of the console over real HTTP against a whole appliance on loopback: what it shows,
 * what its forms do (through the same services as the API, checked back through the API), the
 * validation messages beside their fields, and the friendly pages for what goes wrong.
 */
@Timeout(180)
class ConsolePagesTest {
    @TempDir
    static Path data;
    static RunningAppliance appliance;
    static ConsoleHttp admin;
    static io.skyhaul.testing.LogCapture errors;

    @BeforeAll
    static void start() throws Exception {
        errors = new io.skyhaul.testing.LogCapture(ch.qos.logback.classic.Level.ERROR);
        appliance = RunningAppliance.start(data);
        admin = new ConsoleHttp(appliance.baseUrl()).signIn("admin", RunningAppliance.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (appliance != null) {
            appliance.close();
        }
        try (io.skyhaul.testing.LogCapture captured = errors) {
            assertEquals(List.of(), captured.lines(e -> true), "every page and refusal above, and not one ERROR in the log");
        }
    }

    static void assertPage(ConsoleHttp.Page p, String h1) {
        assertEquals(200, p.status(), p.toString());
        assertTrue(p.header("Content-Type").startsWith("text/html"), p.header("Content-Type"));
        assertTrue(p.body().contains(h1), "expected " + h1 + " in\n" + p.body());
        assertFalse(p.body().contains("Exception"), p.body());
        assertTrue(p.header("Content-Security-Policy").contains("default-src 'self'"));
        assertEquals("no-store", p.header("Cache-Control"));
    }

    @Test
    void everyPageRendersForAnAdmin() {
        assertPage(admin.get("/"), "<h1>Dashboard</h1>");
        assertPage(admin.get("/transfers"), "<h1>Transfers</h1>");
        assertPage(admin.get("/accounts"), "<h1>Storage accounts</h1>");
        assertPage(admin.get("/accounts/new?kind=s3"), "<h1>New S3 account</h1>");
        assertPage(admin.get("/accounts/new?kind=azure"), "<h1>New Azure Blob account</h1>");
        assertPage(admin.get("/accounts/new?kind=local"), "<h1>New local directory account</h1>");
        assertPage(admin.get("/accounts/local"), "<h1>Storage account local</h1>");
        assertPage(admin.get("/partner-tokens"), "<h1>Partner tokens</h1>");
        assertPage(admin.get("/nodes"), "<h1>Nodes</h1>");
        assertPage(admin.get("/users"), "<h1>Users</h1>");
        assertPage(admin.get("/users/" + UserIds.adminId(appliance)), "<h1>User admin</h1>");
        assertPage(admin.get("/audit"), "<h1>Audit log</h1>");
        assertPage(admin.get("/gateways"), "<h1>Gateways</h1>");
    }

    @Test
    void theDashboardShowsNodesAndRefreshesWithOrWithoutScript() {
        ConsoleHttp.Page p = admin.get("/");
        assertTrue(p.body().contains("<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>"), "a plain refresh without script");
        assertTrue(p.body().contains("data-refresh=\"/dashboard/live\""), p.body());
        assertTrue(p.body().contains("healthy, active"), "the embedded node reports in");
        ConsoleHttp.Page live = admin.get("/dashboard/live");
        assertEquals(200, live.status());
        assertFalse(live.body().contains("<html"), "only the live fragment");
        assertTrue(live.body().contains("moved today"), live.body());
    }

    @Test
    void transfersAreListedFilteredShownExportedAndCancelled() throws Exception {
        Path file = Files.write(data.resolve("clip.mov"), new byte[300_000]);
        RunningAppliance.Moved moved = appliance.upload(appliance.adminToken(), List.of(file), "local://local/inbox/pages/");
        ConsoleHttp.Page list = admin.get("/transfers");
        assertPage(list, moved.id());
        assertTrue(list.body().contains("local://local/inbox/pages/"));

        ConsoleHttp.Page detail = admin.get("/transfers/" + moved.id());
        assertPage(detail, "Transfer <span>" + moved.id() + "</span>");
        String digest = moved.detail().path("files").get(0).path("sha256").asText();
        assertTrue(detail.body().contains(digest), "the file's SHA-256");
        assertTrue(detail.body().contains("clip.mov"));
        assertFalse(detail.body().contains("id=\"cancel\""), "a finished transfer has no cancel button");
        assertFalse(detail.body().contains("data-refresh"), "a finished transfer does not change: no refresh");

        assertPage(admin.get("/transfers?state=done&direction=upload&actor=admin"), moved.id());
        ConsoleHttp.Page none = admin.get("/transfers?state=failed");
        assertPage(none, "No transfer matches these filters.");
        assertFalse(none.body().contains(moved.id()));
        assertPage(admin.get("/transfers?page=banana"), moved.id());
        assertPage(admin.get("/transfers?page=3"), "No transfer matches");

        ConsoleHttp.Page csv = admin.get("/transfers/export.csv");
        assertEquals(200, csv.status());
        assertTrue(csv.header("Content-Type").startsWith("text/csv"), csv.header("Content-Type"));
        assertTrue(csv.header("Content-Disposition").contains("skyhaul-transfers.csv"));
        String apiCsv = appliance.request("GET", "/api/v1/transfers/export?format=csv", null, appliance.adminToken()).body();
        assertEquals(apiCsv, csv.body(), "the same export as the API's");

        JsonNode waiting = appliance.expect(201, appliance.createUpload(appliance.adminToken(), List.of(file), "local://local/inbox/cancel-me/"));
        String id = waiting.path("transfer").path("id").asText();
        ConsoleHttp.Page open = admin.get("/transfers/" + id);
        assertTrue(open.body().contains("id=\"cancel\""), open.body());
        assertTrue(open.body().contains("data-refresh=\"/transfers/" + id + "/live\""), "an open transfer refreshes itself");
        assertTrue(open.body().contains("<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>"), "also without script");
        ConsoleHttp.Page live = admin.get("/transfers/" + id + "/live");
        assertEquals(200, live.status());
        assertFalse(live.body().contains("<html"), "only the changing part");
        assertTrue(live.body().contains("<span class=\"state waiting\">waiting</span>"), live.body());
        assertTrue(admin.get("/").body().contains(id), "an open transfer is on the dashboard");
        ConsoleHttp.Page cancelled = admin.post("/transfers/" + id + "/cancel");
        assertEquals(303, cancelled.status(), cancelled.toString());
        assertEquals("cancelled", appliance.get("transfers/" + id, appliance.adminToken()).json().path("transfer").path("state").asText());
        assertTrue(admin.get("/transfers/" + id).body().contains("Transfer " + id + " cancelled."), "the flash message");
        ConsoleHttp.Page again = admin.post("/transfers/" + id + "/cancel");
        assertEquals(409, again.status(), "already ended: the service's refusal, as a page");
        assertTrue(again.body().contains("has already ended (cancelled)"), again.body());
    }

    @Test
    void anEmptyTransferLogSaysHowToSendOne() throws Exception {
        try (RunningAppliance fresh = RunningAppliance.start(Files.createDirectories(data.resolve("fresh")))) {
            ConsoleHttp b = new ConsoleHttp(fresh.baseUrl()).signIn("admin", RunningAppliance.ADMIN_PASSWORD);
            assertPage(b.get("/transfers"), "No transfers yet — send one with <code>bin/skyhaul send FILE local://local/inbox/</code>");
            assertPage(b.get("/"), "No transfers in progress.");
            assertPage(b.get("/partner-tokens"), "No partner tokens yet");
            assertPage(b.get("/gateways"), "No gateways yet — start one with <code>roles: [gateway]</code> and enter the code it shows here.");
            assertFalse(b.get("/").body().contains("id=\"gateway-summary\""), "no gateway line on the dashboard without gateways");
        }
    }

    @Test
    void accountFormsShowTheApisValidationMessagesBesideTheirFields() {
        ConsoleHttp.Page bad = admin.post("/accounts", "kind", "s3", "name", "Bad Name", "s3.accessKeyId", "", "s3.secretAccessKey", "typed-secret-1",
                "s3.region", "x", "s3.endpoint", "ftp://example.com");
        assertEquals(400, bad.status());
        assertTrue(bad.body().contains("id=\"name-error\">must be 1-63 lower-case letters, digits or &#39;-&#39;, starting with a letter or digit"),
                bad.body());
        assertTrue(bad.body().contains("id=\"s3.accessKeyId-error\">must not be blank"));
        assertTrue(bad.body().contains("id=\"s3.region-error\">must be a region name such as us-east-1"));
        assertTrue(bad.body().contains("id=\"s3.endpoint-error\">must be an http or https URL"));
        assertTrue(bad.body().contains("value=\"Bad Name\""), "what was typed stays");
        assertFalse(bad.body().contains("typed-secret-1"), "a secret is never rendered back, not even one just typed");

        ConsoleHttp.Page noSecret = admin.post("/accounts", "kind", "s3", "name", "nosecret", "s3.accessKeyId", "AK", "s3.region", "us-east-1");
        assertEquals(400, noSecret.status());
        assertTrue(noSecret.body().contains("id=\"s3.secretAccessKey-error\">is required"), noSecret.body());

        ConsoleHttp.Page local = admin.post("/accounts", "kind", "local", "name", "rel", "local.path", "relative/dir");
        assertTrue(local.body().contains("id=\"local.path-error\">must be an absolute path"), local.body());

        ConsoleHttp.Page duplicate = admin.post("/accounts", "kind", "local", "name", "local", "local.path", "/tmp");
        assertTrue(duplicate.body().contains("id=\"name-error\">a storage account named &#39;local&#39; already exists"), duplicate.body());

        assertEquals(400, admin.post("/accounts", "kind", "ftp", "name", "x").status());
        assertEquals(400, admin.get("/accounts/new?kind=gopher").status());
    }

    @Test
    void secretsAreWriteOnlyAndAnEditKeepsAStoredSecret() {
        ConsoleHttp.Page created = admin.post("/accounts", "kind", "s3", "name", "vault-check", "s3.accessKeyId", "AKIDVAULT", "s3.secretAccessKey",
                "very-secret-value-42", "s3.region", "eu-west-1", "s3.endpoint", "http://127.0.0.1:9", "s3.pathStyle", "on");
        assertEquals(303, created.status(), created.toString());
        String path = created.location();
        ConsoleHttp.Page edit = admin.get(path);
        assertPage(edit, "value=\"AKIDVAULT\"");
        assertTrue(edit.body().contains("placeholder=\"stored — leave empty to keep\""));
        assertFalse(edit.body().contains("very-secret-value-42"), "the stored secret is not on the page");
        assertFalse(admin.get("/accounts").body().contains("very-secret-value-42"));

        ConsoleHttp.Page saved = admin.post(path, "kind", "s3", "name", "vault-check", "s3.accessKeyId", "AKIDVAULT2", "s3.region", "eu-west-1",
                "s3.endpoint", "http://127.0.0.1:9");
        assertEquals(303, saved.status(), saved.toString());
        JsonNode account = appliance.get("accounts/vault-check", appliance.adminToken()).json();
        assertEquals("AKIDVAULT2", account.path("settings").path("accessKeyId").asText());
        assertEquals(false, account.path("settings").path("pathStyle").asBoolean(), "an unticked box is false");
        assertTrue(account.path("secretsSet").toString().contains("secretAccessKey"), "the empty secret field kept the stored secret");
    }

    @Test
    void testConnectionShowsTheStorageServersRealError() {
        ConsoleHttp.Page created = admin.post("/accounts", "kind", "s3", "name", "unreachable", "s3.accessKeyId", "AK", "s3.secretAccessKey", "SK",
                "s3.region", "us-east-1", "s3.endpoint", "http://127.0.0.1:1", "s3.pathStyle", "on");
        String id = created.location().substring("/accounts/".length());
        ConsoleHttp.Page failed = admin.post("/accounts/" + id + "/test", "bucket", "media");
        assertEquals(502, failed.status());
        assertTrue(failed.body().contains("id=\"test-result\""), failed.body());
        assertTrue(failed.body().contains("Connection refused"), "the real error: " + failed.body());
        ConsoleHttp.Page blank = admin.post("/accounts/" + id + "/test", "bucket", "");
        assertTrue(blank.body().contains("id=\"bucket-error\">must not be blank"), blank.body());

        Path dir = data.resolve("storage").toAbsolutePath();
        ConsoleHttp.Page ok = admin.post("/accounts/local/test", "bucket", "inbox");
        assertEquals(200, ok.status(), ok.toString() + dir);
        assertTrue(ok.body().contains("Connected: bucket &#39;inbox&#39; answers"), ok.body());
    }

    @Test
    void aPartnerTokenIsShownOnceWithACommandAndRevokedTokensAreRefused() {
        ConsoleHttp.Page issued = admin.post("/partner-tokens", "name", "acme-dailies", "location", "local://local/inbox/acme/", "direction", "upload",
                "expiresAt", "2099-12-31", "maxBytes", "500G", "maxFiles", "1k", "maxRate", "200M");
        assertPage(issued, "Partner token <span>acme-dailies</span> issued");
        Matcher m = Pattern.compile("value=\"(shp_[A-Za-z0-9_-]+)\"").matcher(issued.body());
        assertTrue(m.find(), issued.body());
        String secret = m.group(1);
        assertTrue(issued.body().contains("SKYHAUL_SERVER=" + appliance.baseUrl() + " bin/skyhaul send FILE local://local/inbox/acme/ --token " + secret),
                issued.body());
        JsonNode token = null;
        for (JsonNode t : appliance.get("partner-tokens", appliance.adminToken()).json()) {
            if (t.path("name").asText().equals("acme-dailies")) {
                token = t;
            }
        }
        assertEquals(500_000_000_000L, token.path("maxBytes").asLong());
        assertEquals(1000, token.path("maxFiles").asLong());
        assertEquals(200_000_000L, token.path("maxRate").asLong());
        assertEquals("2100-01-01T00:00:00Z", token.path("expiresAt").asText(), "valid through the whole day given");

        ConsoleHttp.Page list = admin.get("/partner-tokens");
        assertPage(list, "acme-dailies");
        assertFalse(list.body().contains(secret), "shown once: never in the list");
        assertEquals(200, appliance.get("auth/whoami", secret).status());

        ConsoleHttp.Page revoked = admin.post("/partner-tokens/" + token.path("id").asText() + "/revoke");
        assertEquals(303, revoked.status());
        assertTrue(admin.get("/partner-tokens").body().contains(">revoked<"));
        RunningAppliance.Reply refused = appliance.get("auth/whoami", secret);
        assertEquals(403, refused.status());
        assertTrue(refused.body().contains("was revoked"), refused.body());
    }

    @Test
    void partnerTokenFormsShowEveryProblemBesideItsField() {
        ConsoleHttp.Page bad = admin.post("/partner-tokens", "name", "", "location", "local://local/inbox/", "direction", "sideways", "expiresAt",
                "2001-01-01", "maxBytes", "lots", "maxRate", "5k");
        assertEquals(400, bad.status());
        assertTrue(bad.body().contains("id=\"name-error\">must not be blank"), bad.body());
        assertTrue(bad.body().contains("id=\"direction-error\">must be upload, download or both"));
        assertTrue(bad.body().contains("id=\"expiresAt-error\">must be a future date"));
        assertTrue(bad.body().contains("id=\"maxBytes-error\">must be a whole number, optionally with k, M, G or T"));
        assertTrue(bad.body().contains("id=\"maxRate-error\">must be greater than or equal to 1000000"));
        ConsoleHttp.Page badLocation = admin.post("/partner-tokens", "name", "x", "location", "s3://nope/bucket/", "direction", "upload",
                "expiresAt", "2099-01-01");
        assertEquals(400, badLocation.status());
        assertTrue(badLocation.body().contains("storage account &#39;nope&#39; does not exist"), badLocation.body());
        ConsoleHttp.Page badDate = admin.post("/partner-tokens", "name", "x", "location", "local://local/inbox/", "direction", "upload",
                "expiresAt", "next tuesday");
        assertTrue(badDate.body().contains("id=\"expiresAt-error\">must be a date such as 2026-12-31"), badDate.body());
    }

    @Test
    void nodesDrainAndUndrainThroughTheRegistryAndTheAuditLogSaysWho() {
        assertPage(admin.get("/nodes"), "id=\"drain\"");
        assertEquals(303, admin.post("/nodes/local/drain").status());
        assertEquals("draining", appliance.get("nodes/local", appliance.adminToken()).json().path("state").asText());
        assertPage(admin.get("/nodes"), "is draining: no new transfers go to it.");
        assertEquals(303, admin.post("/nodes/local/undrain").status());
        assertEquals("active", appliance.get("nodes/local", appliance.adminToken()).json().path("state").asText());
        ConsoleHttp.Page audit = admin.get("/audit?action=node.drain");
        assertPage(audit, "node.drain");
        assertTrue(audit.body().contains("user admin"));
        assertFalse(audit.body().contains("node.undrain"), "filtered by action");
        assertEquals(404, admin.post("/nodes/nowhere/drain").status());
    }

    @Test
    void usersAreCreatedChangedAndGetApiTokens() {
        ConsoleHttp.Page weak = admin.post("/users", "username", "carol", "password", "short", "role", "operator");
        assertEquals(400, weak.status());
        assertTrue(weak.body().contains("id=\"password-error\">must have at least 12 characters"), weak.body());
        ConsoleHttp.Page badName = admin.post("/users", "username", "no spaces", "password", "long-enough-password", "role", "boss");
        assertTrue(badName.body().contains("id=\"username-error\">must be 1-64 letters, digits or . _ @ -"), badName.body());
        assertTrue(badName.body().contains("id=\"role-error\">must be admin, operator or read-only"));

        ConsoleHttp.Page created = admin.post("/users", "username", "carol", "password", "long-enough-password", "role", "operator");
        assertEquals(303, created.status(), created.toString());
        String path = created.location();
        assertEquals(303, admin.post(path, "role", "read-only", "password", "").status());
        assertEquals("read-only", appliance.get(path.substring(1), appliance.adminToken()).json().path("role").asText());

        ConsoleHttp.Page token = admin.post(path + "/tokens", "name", "workflow", "expiresAt", "2099-01-01");
        assertPage(token, "API token <span>workflow</span> issued");
        Matcher m = Pattern.compile("value=\"(shk_[A-Za-z0-9_-]+)\"").matcher(token.body());
        assertTrue(m.find());
        assertEquals("carol", appliance.get("auth/whoami", m.group(1)).json().path("name").asText());
        ConsoleHttp.Page page = admin.get(path);
        assertFalse(page.body().contains(m.group(1)), "shown once");
        Matcher tid = Pattern.compile("/tokens/([0-9a-f]+)/revoke").matcher(page.body());
        assertTrue(tid.find(), page.body());
        assertEquals(303, admin.post(path + "/tokens/" + tid.group(1) + "/revoke").status());
        assertEquals(401, appliance.get("auth/whoami", m.group(1)).status());

        String adminPath = "/users/" + UserIds.adminId(appliance);
        ConsoleHttp.Page last = admin.post(adminPath, "role", "operator");
        assertEquals(400, last.status());
        assertTrue(last.body().contains("is the last enabled admin; make another admin first"), last.body());
    }

    @Test
    void unknownPagesAndThingsGetAFriendlyPage() {
        ConsoleHttp.Page none = admin.get("/no/such/page");
        assertEquals(404, none.status());
        assertTrue(none.body().contains("There is no page at /no/such/page"));
        ConsoleHttp.Page transfer = admin.get("/transfers/0123456789abcdef");
        assertEquals(404, transfer.status());
        assertTrue(transfer.body().contains("transfer 0123456789abcdef does not exist"));
        assertTrue(transfer.body().contains("Back to the dashboard"));
        assertEquals(400, admin.postRaw("/transfers", Map.of("_csrf", admin.csrf)).status(), "GET-only page");
        assertFalse(transfer.body().contains("at io.skyhaul"), "no stack trace");
    }

    @Test
    void malformedInputIsABadRequestNotAnIncident() {
        try (io.skyhaul.testing.LogCapture log = new io.skyhaul.testing.LogCapture()) {
            ConsoleHttp.Page badForm = admin.postBody("/partner-tokens", "_csrf=" + admin.csrf + "&name=%zz");
            assertEquals(400, badForm.status(), badForm.toString());
            assertTrue(badForm.body().contains("The request could not be read"), badForm.body());
            assertFalse(badForm.body().contains("BadMessageException"));
            assertEquals(List.of(), log.lines(e -> true), "no incident logged for a client's malformed request");
        }
    }

    @Test
    void theApplianceAnnouncesTheConsole() {
        assertEquals(java.util.Optional.of(appliance.baseUrl() + "/"), appliance.server().consoleUrl());
    }

    @Test
    void theStylesheetAndScriptComeFromTheJar() {
        ConsoleHttp.Page css = admin.get("/static/console.css");
        assertEquals(200, css.status());
        assertTrue(css.header("Content-Type").startsWith("text/css"));
        assertTrue(css.body().length() < 20_000, "one small stylesheet");
        assertEquals(200, admin.get("/static/console.js").status());
        assertEquals(404, admin.get("/static/../templates/layout.html").status());
        assertEquals(404, admin.get("/static/nothing.css").status());
        assertFalse(admin.get("/").body().contains("https://"), "no CDN, nothing from the internet");
    }

    @Test
    void theApiStillAnswersBesideTheConsole() {
        assertEquals(200, appliance.get("openapi.json", null).status());
        assertEquals(401, appliance.get("accounts", null).status());
        assertEquals(200, appliance.request("GET", "/healthz", null, null).status());
    }
}
