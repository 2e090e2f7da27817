package io.skyhaul.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.testing.LogCapture;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway pages over real HTTP against a whole appliance and real gateways on loopback:
 * activation by code through the form (and each refusal beside its field), the list and one
 * gateway's status with its live fragment, a refusal arriving in it, pause, resume and "report
 * now" as commands, deactivation after a confirmation page, and who may do which.
 */
@Timeout(240)
class GatewayPagesTest {
    @TempDir
    static Path data;
    static LogCapture errors;
    static RunningAppliance appliance;
    static RunningGateway studio;
    static String studioCode;
    static String studioFingerprint;
    static ConsoleHttp admin;

    @BeforeAll
    static void start() throws Exception {
        errors = new LogCapture(ch.qos.logback.classic.Level.ERROR);
        appliance = RunningAppliance.start(data.resolve("appliance"));
        admin = new ConsoleHttp(appliance.baseUrl()).signIn("admin", RunningAppliance.ADMIN_PASSWORD);
        appliance.userToken("rita", "read-only");
        appliance.userToken("otto", "operator");
        studio = TestGateways.start(data.resolve("studio"), appliance);
        studioCode = studio.awaitCode(TestGateways.WAIT);
        studioFingerprint = studio.status().fingerprint();
        admin.get("/gateways");
        ConsoleHttp.Page activated = admin.post("/gateways", "code", studioCode.toLowerCase(), "name", "studio");
        assertEquals(303, activated.status(), activated.toString());
        assertEquals("/gateways/studio", activated.location());
        assertTrue(admin.get("/gateways/studio").body().contains("Gateway &#39;studio&#39; activated. Check that its key fingerprint, "
                + studioFingerprint + ", is the one"), "the flash message names the fingerprint to compare");
        studio.awaitConnected(TestGateways.WAIT);
        TestGateways.await("the manager has the studio gateway's first status report",
                () -> appliance.get("gateways/studio", appliance.adminToken()).json().has("status"));
    }

    @AfterAll
    static void stop() {
        if (studio != null) {
            studio.close();
        }
        if (appliance != null) {
            appliance.close();
        }
        try (LogCapture captured = errors) {
            assertEquals(List.of(), captured.lines(e -> true), "every page and refusal above, and not one ERROR in the log");
        }
    }

    @Test
    void theListShowsEachGatewaysLastReportAndTheDashboardCountsThem() {
        ConsoleHttp.Page list = admin.get("/gateways");
        ConsolePagesTest.assertPage(list, "<h1>Gateways</h1>");
        assertTrue(list.body().contains("<a href=\"/gateways/studio\">studio</a>"), list.body());
        assertTrue(list.body().contains("<span class=\"state online\">online</span>"), "a badge that says it, not a colour: " + list.body());
        assertTrue(list.body().contains("<meter"), "the spool's use as a meter");
        assertTrue(list.body().contains("<span class=\"sub\">0 B of 10.0 GiB</span>"), "the spool's figures (10 GiB by default): " + list.body());
        assertTrue(list.body().contains("id=\"activate-form\""), "admins activate gateways");
        assertTrue(list.body().contains("placeholder=\"K7QM-4XPA\""));
        assertTrue(list.body().contains("shows its code in its log and in its local status"), "the help says where the code is");
        assertTrue(list.body().contains("<a href=\"/gateways\" aria-current=\"page\" class=\"current\">Gateways</a>"), "in the menu: " + list.body());
        ConsoleHttp.Page live = admin.get("/dashboard/live");
        assertTrue(live.body().contains("<span>1 of 1 online</span>"), "the dashboard's gateway line: " + live.body());
    }

    @Test
    void aGatewaysPageShowsItsFingerprintAndHotFoldersAndRefreshesItself() {
        ConsoleHttp.Page page = admin.get("/gateways/studio");
        ConsolePagesTest.assertPage(page, "Gateway <span>studio</span>");
        assertTrue(page.body().contains("<code id=\"fingerprint\">" + studioFingerprint + "</code>"), "the fingerprint the gateway showed with its code");
        assertTrue(page.body().contains(TestGateways.hotFolder(data.resolve("studio")).toString()), "the hot folder's path");
        assertTrue(page.body().contains("data-refresh=\"/gateways/studio/live\""), page.body());
        assertTrue(page.body().contains("<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>"), "a plain refresh without script");
        assertTrue(page.body().contains("id=\"pause\"") && page.body().contains("id=\"report-status\"") && page.body().contains("id=\"deactivate\""));
        ConsoleHttp.Page live = admin.get("/gateways/studio/live");
        assertEquals(200, live.status());
        assertFalse(live.body().contains("<html"), "only the live fragment");
        assertTrue(live.body().contains("id=\"hot-folders\""), live.body());
    }

    @Test
    void aRefusedFileAppearsInTheLiveFragment() throws Exception {
        Files.writeString(TestGateways.hotFolder(data.resolve("studio")).resolve("notes.txt"), "not a film");
        TestGateways.await("the refusal of notes.txt is on the live fragment",
                () -> admin.get("/gateways/studio/live").body().contains(TestGateways.TXT_REFUSED));
        String live = admin.get("/gateways/studio/live").body();
        assertTrue(live.contains("id=\"refusals\""), live);
        assertTrue(live.contains("notes.txt"), live);
    }

    @Test
    void pauseResumeAndReportNowAreCommandsTheGatewayAnswers() throws Exception {
        admin.get("/gateways/studio");
        ConsoleHttp.Page paused = admin.post("/gateways/studio/commands", "kind", "pause");
        assertEquals(303, paused.status(), paused.toString());
        assertEquals("/gateways/studio", paused.location());
        assertTrue(admin.get("/gateways/studio").body().contains("Pause sent to gateway &#39;studio&#39;"), "the flash message");
        TestGateways.await("the page shows the gateway paused", () -> admin.get("/gateways/studio/live").body().contains("id=\"paused\""));
        String page = admin.get("/gateways/studio").body();
        assertTrue(page.contains("id=\"resume\"") && !page.contains("id=\"pause\""), "Resume instead of Pause: " + page);
        assertTrue(page.contains("<td>pause</td>"), "the command in the recent commands: " + page);
        assertEquals(303, admin.post("/gateways/studio/commands", "kind", "resume").status());
        TestGateways.await("the gateway is running again", () -> !appliance.get("gateways/studio", appliance.adminToken()).json()
                .path("status").path("paused").asBoolean());
        assertEquals(303, admin.post("/gateways/studio/commands", "kind", "status").status());
        JsonNode commands = appliance.get("gateways/studio/commands", appliance.adminToken()).json();
        assertEquals("status", commands.get(0).path("kind").asText(), commands.toString());
        assertEquals("user admin", commands.get(0).path("createdBy").asText(), commands.toString());

        ConsoleHttp.Page other = admin.post("/gateways/studio/commands", "kind", "hot-folder.remove");
        assertEquals(400, other.status(), "the console sends only what its buttons do: " + other);
        assertTrue(other.body().contains("must be pause, resume or status"), other.body());
        assertEquals(404, admin.post("/gateways/nobody/commands", "kind", "pause").status());
        ConsoleHttp.Page unknown = admin.get("/gateways/nobody");
        assertEquals(404, unknown.status());
        assertTrue(unknown.body().contains("gateway nobody does not exist"), unknown.body());
    }

    @Test
    void aBadCodeOrNameIsShownBesideItsField() {
        admin.get("/gateways");
        ConsoleHttp.Page malformed = admin.post("/gateways", "code", "K7Q0-4XPA", "name", "x");
        assertEquals(400, malformed.status());
        assertTrue(malformed.body().contains("id=\"code-error\">&#39;0&#39; is never part of an activation code"), malformed.body());
        assertTrue(malformed.body().contains("value=\"K7Q0-4XPA\""), "what was typed stays");
        ConsoleHttp.Page blank = admin.post("/gateways", "code", "", "name", "no spaces");
        assertEquals(400, blank.status());
        assertTrue(blank.body().contains("id=\"code-error\">must not be blank"), blank.body());
        assertTrue(blank.body().contains("id=\"name-error\">must be 1-63 letters, digits"), blank.body());
        ConsoleHttp.Page unknown = admin.post("/gateways", "code", "ABCD-EFGH", "name", "nowhere");
        assertEquals(404, unknown.status());
        assertTrue(unknown.body().contains("id=\"code-error\">no gateway is waiting with activation code ABCD-EFGH (check the code the gateway shows)<"),
                unknown.body());
        ConsoleHttp.Page reused = admin.post("/gateways", "code", studioCode, "name", "studio-again");
        assertEquals(409, reused.status());
        assertTrue(reused.body().contains("id=\"code-error\">activation code " + studioCode + " was already used: gateway &#39;studio&#39;"),
                reused.body());
        assertFalse(appliance.get("gateways", appliance.adminToken()).body().contains("nowhere"));
    }

    @Test
    void anExpiredCodeSaysSo() throws Exception {
        try (RunningAppliance shortCodes = RunningAppliance.start(data.resolve("short"), c -> c.withGatewayCodeSeconds(10));
                RunningGateway late = TestGateways.start(data.resolve("late"), shortCodes)) {
            String first = late.awaitCode(TestGateways.WAIT);
            TestGateways.await("the gateway shows a new code once its first expired",
                    () -> late.status().activationCode() != null && !late.status().activationCode().equals(first));
            ConsoleHttp b = new ConsoleHttp(shortCodes.baseUrl()).signIn("admin", RunningAppliance.ADMIN_PASSWORD);
            b.get("/gateways");
            ConsoleHttp.Page expired = b.post("/gateways", "code", first, "name", "late");
            assertEquals(410, expired.status(), expired.toString());
            assertTrue(expired.body().contains("id=\"code-error\">activation code " + first + " expired at "), expired.body());
            assertTrue(expired.body().contains("the gateway shows a new code by itself"), expired.body());
        }
    }

    @Test
    void aTakenNameIsRefusedAndADeactivationIsConfirmedFirst() throws Exception {
        try (RunningGateway other = TestGateways.start(data.resolve("other"), appliance)) {
            String code = other.awaitCode(TestGateways.WAIT);
            admin.get("/gateways");
            ConsoleHttp.Page taken = admin.post("/gateways", "code", code, "name", "studio");
            assertEquals(409, taken.status());
            assertTrue(taken.body().contains("id=\"name-error\">gateway &#39;studio&#39; is already active"), taken.body());
            assertFalse(taken.body().contains("id=\"code-error\""), "the code was fine");
            ConsoleHttp.Page activated = admin.post("/gateways", "code", code, "name", "studio-b");
            assertEquals(303, activated.status(), activated.toString());
            other.awaitConnected(TestGateways.WAIT);

            ConsoleHttp.Page confirm = admin.get("/gateways/studio-b/deactivate");
            ConsolePagesTest.assertPage(confirm, "Deactivate gateway <span>studio-b</span>?");
            assertTrue(confirm.body().contains("id=\"confirm-deactivate\"") && confirm.body().contains("id=\"cancel-deactivate\""), confirm.body());
            assertTrue(appliance.get("gateways/studio-b", appliance.adminToken()).json().path("active").asBoolean(), "asking changes nothing");
            ConsoleHttp.Page done = admin.post("/gateways/studio-b/deactivate");
            assertEquals(303, done.status(), done.toString());
            assertFalse(appliance.get("gateways/studio-b", appliance.adminToken()).json().path("active").asBoolean());
            String page = admin.get("/gateways/studio-b").body();
            assertTrue(page.contains("deactivated: its key is refused from now on"), "the flash: " + page);
            assertTrue(page.contains("<span id=\"gateway-state\" class=\"state deactivated\">deactivated</span>"), page);
            assertFalse(page.contains("data-refresh") || page.contains("id=\"pause\"") || page.contains("id=\"deactivate\""), page);
            String list = admin.get("/gateways").body();
            assertTrue(list.contains("id=\"deactivated-gateways\""), "shown apart: " + list);
            ConsoleHttp.Page command = admin.post("/gateways/studio-b/commands", "kind", "pause");
            assertEquals(409, command.status());
            assertTrue(command.body().contains("was deactivated; it takes no commands"), command.body());
            assertEquals(303, admin.get("/gateways/studio-b/deactivate").status(), "nothing left to confirm");
        }
    }

    @Test
    void aReadOnlyUserSeesNoButtonsAndTheServerRefusesTheirPosts() {
        ConsoleHttp rita = new ConsoleHttp(appliance.baseUrl()).signIn("rita", "password-of-rita");
        for (String path : List.of("/gateways", "/gateways/studio", "/gateways/studio/live")) {
            ConsoleHttp.Page p = rita.get(path);
            assertEquals(200, p.status(), path + ": " + p);
            assertEquals(List.of(), RolesTest.changeForms(p.body()), path + " offers changes to a read-only user");
            assertFalse(p.body().contains("id=\"deactivate\""), path);
        }
        assertTrue(rita.get("/").body().contains("href=\"/gateways\""), "read-only users see the gateways, as in the API");
        assertEquals(403, rita.get("/gateways/studio/deactivate").status());
        for (String[] post : List.of(new String[] {"/gateways/studio/commands", "kind", "pause"}, new String[] {"/gateways/studio/deactivate"},
                new String[] {"/gateways", "code", "ABCD-EFGH", "name", "sneaky"})) {
            ConsoleHttp.Page p = rita.post(post[0], java.util.Arrays.copyOfRange(post, 1, post.length));
            assertEquals(403, p.status(), post[0] + ": " + p);
            assertTrue(p.body().contains("Your role (read-only) does not allow this."), p.body());
        }
        assertTrue(appliance.get("gateways/studio", appliance.adminToken()).json().path("active").asBoolean());
    }

    @Test
    void anOperatorSendsCommandsButNeitherActivatesNorDeactivates() {
        ConsoleHttp otto = new ConsoleHttp(appliance.baseUrl()).signIn("otto", "password-of-otto");
        String page = otto.get("/gateways/studio").body();
        assertTrue(page.contains("id=\"report-status\""), "operators send commands, as in the API");
        assertFalse(page.contains("id=\"deactivate\""), "but only admins deactivate");
        assertFalse(otto.get("/gateways").body().contains("id=\"activate-form\""), "and only admins activate");
        assertEquals(303, otto.post("/gateways/studio/commands", "kind", "status").status());
        assertEquals(403, otto.post("/gateways/studio/deactivate").status());
        assertEquals(403, otto.post("/gateways", "code", "ABCD-EFGH", "name", "sneaky").status());
    }
}
