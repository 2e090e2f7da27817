package io.skyhaul.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.testing.RunningAppliance;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Signing in and out, the session cookie, the session id at sign-in, CSRF on every form, and the slow-down after failures. */
@Timeout(120)
class SignInTest {
    @TempDir
    static Path data;
    static RunningAppliance appliance;

    @BeforeAll
    static void start() throws Exception {
        appliance = RunningAppliance.start(data);
    }

    @AfterAll
    static void stop() {
        if (appliance != null) {
            appliance.close();
        }
    }

    ConsoleHttp browser() {
        return new ConsoleHttp(appliance.baseUrl());
    }

    @Test
    void aPageAsksToSignInFirst() {
        ConsoleHttp b = browser();
        ConsoleHttp.Page p = b.get("/transfers");
        assertEquals(302, p.status(), p.toString());
        assertTrue(p.location().endsWith("/signin?next=%2Ftransfers"), p.location());
        ConsoleHttp.Page form = b.get("/signin?next=%2Ftransfers");
        assertEquals(200, form.status());
        assertTrue(form.body().contains("<label for=\"username\">User name</label>"), form.body());
        assertTrue(form.body().contains("name=\"next\" value=\"/transfers\""), "the page to go back to");
        String cookie = form.setCookies().stream().filter(c -> c.startsWith("skyhaul_signin=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), cookie);
        ConsoleHttp.Page in = b.post("/signin", "username", "admin", "password", RunningAppliance.ADMIN_PASSWORD, "next", "/transfers");
        assertEquals(303, in.status(), in.toString());
        assertEquals("/transfers", in.location());
    }

    @Test
    void theSessionCookieIsHttpOnlyLaxAndNotSecureOnPlainHttp() {
        ConsoleHttp b = browser();
        b.get("/signin");
        ConsoleHttp.Page in = b.post("/signin", "username", "admin", "password", RunningAppliance.ADMIN_PASSWORD);
        String cookie = in.setCookies().stream().filter(c -> c.startsWith("skyhaul_session=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("; HttpOnly"), cookie);
        assertTrue(cookie.contains("; SameSite=Lax"), cookie);
        assertTrue(cookie.contains("; Path=/"), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP on loopback: a Secure cookie would never come back: " + cookie);
        assertFalse(cookie.contains("Max-Age") || cookie.contains("Expires"), "a browser-session cookie: " + cookie);
        assertTrue(b.get("/").body().contains("<h1>Dashboard</h1>"));
    }

    @Test
    void signingInGivesANewSessionIdAndSigningOutEndsTheSession() {
        ConsoleHttp b = browser().signIn("admin", RunningAppliance.ADMIN_PASSWORD);
        String first = b.cookies.get("skyhaul_session");
        ConsoleHttp other = browser().signIn("admin", RunningAppliance.ADMIN_PASSWORD);
        assertNotEquals(first, other.cookies.get("skyhaul_session"), "each sign-in, its own session");
        // A browser that arrives with an id it was given (fixation) signs in under a new one; the planted id stays worthless.
        ConsoleHttp planted = browser();
        planted.cookies.put("skyhaul_session", "attacker-chosen-id");
        planted.signIn("admin", RunningAppliance.ADMIN_PASSWORD);
        assertNotEquals("attacker-chosen-id", planted.cookies.get("skyhaul_session"));
        ConsoleHttp attacker = browser();
        attacker.cookies.put("skyhaul_session", "attacker-chosen-id");
        assertEquals(302, attacker.get("/").status());

        ConsoleHttp.Page out = b.post("/signout");
        assertEquals(303, out.status());
        assertEquals("/signin", out.location());
        assertNull(b.cookies.get("skyhaul_session"), "the cookie is cleared");
        ConsoleHttp replay = browser();
        replay.cookies.put("skyhaul_session", first);
        assertEquals(302, replay.get("/").status(), "a signed-out session id does not work again");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutSayingWhichPartWasWrong() {
        ConsoleHttp b = browser();
        b.get("/signin");
        ConsoleHttp.Page p = b.post("/signin", "username", "admin", "password", "not-the-password");
        assertEquals(401, p.status());
        assertTrue(p.body().contains("wrong user name or password"), p.body());
        assertNull(b.cookies.get("skyhaul_session"));
        b.get("/signin");
        ConsoleHttp.Page blank = b.post("/signin", "username", "", "password", "");
        assertEquals(400, blank.status());
        assertTrue(blank.body().contains("id=\"username-error\">must not be blank"), blank.body());
        assertTrue(blank.body().contains("id=\"password-error\">must not be blank"), blank.body());
    }

    @Test
    void repeatedFailuresSlowDownSignInEvenWithTheRightPassword() {
        appliance.userToken("slowpoke", "operator");
        ConsoleHttp b = browser();
        for (int i = 0; i < 5; i++) {
            b.get("/signin");
            assertEquals(401, b.post("/signin", "username", "slowpoke", "password", "wrong-" + i).status());
        }
        b.get("/signin");
        ConsoleHttp.Page p = b.post("/signin", "username", "slowpoke", "password", "password-of-slowpoke");
        assertEquals(429, p.status(), p.toString());
        assertTrue(p.body().contains("too many failed sign-ins for &#39;slowpoke&#39;; try again in"), p.body());
        assertNull(b.cookies.get("skyhaul_session"));
        // The same throttle guards the API's login: one rule, two doors.
        assertEquals(429, appliance.post("auth/login", Map.of("username", "slowpoke", "password", "password-of-slowpoke"), null).status());
    }

    @Test
    void theSignInFormItselfNeedsItsCsrfToken() {
        ConsoleHttp b = browser();
        b.get("/signin");
        ConsoleHttp.Page missing = b.postRaw("/signin", Map.of("username", "admin", "password", RunningAppliance.ADMIN_PASSWORD));
        assertEquals(403, missing.status());
        ConsoleHttp.Page noCookie = browser().postRaw("/signin", Map.of("_csrf", b.csrf, "username", "admin", "password",
                RunningAppliance.ADMIN_PASSWORD));
        assertEquals(403, noCookie.status(), "a token without its cookie (another site posting) is refused");
        assertNull(b.cookies.get("skyhaul_session"));
    }

    @Test
    void everyChangeNeedsTheSessionsCsrfToken() {
        ConsoleHttp b = browser().signIn("admin", RunningAppliance.ADMIN_PASSWORD);
        int before = appliance.get("partner-tokens", appliance.adminToken()).json().size();
        Map<String, String> form = new java.util.HashMap<>(Map.of("name", "csrf-probe", "location", "local://local/inbox/", "direction", "upload",
                "expiresAt", "2099-01-01"));
        ConsoleHttp.Page missing = b.postRaw("/partner-tokens", form);
        assertEquals(403, missing.status(), missing.toString());
        assertTrue(missing.body().contains("CSRF check failed"), missing.body());
        assertFalse(missing.body().contains("shp_"), "no token issued");

        form.put("_csrf", b.csrf.substring(1) + "x");
        assertEquals(403, b.postRaw("/partner-tokens", form).status(), "forged token");

        ConsoleHttp other = browser().signIn("admin", RunningAppliance.ADMIN_PASSWORD);
        form.put("_csrf", other.csrf);
        assertEquals(403, b.postRaw("/partner-tokens", form).status(), "another session's token");

        ConsoleHttp.Page signOut = b.postRaw("/signout", Map.of());
        assertEquals(403, signOut.status(), "even signing out");
        assertEquals(before, appliance.get("partner-tokens", appliance.adminToken()).json().size(), "nothing was issued");
        assertEquals(200, b.get("/").status(), "still signed in");
    }

    @Test
    void aPostWithoutASessionIsRefusedAndChangesNothing() {
        ConsoleHttp b = browser();
        ConsoleHttp.Page p = b.postRaw("/nodes/local/drain", Map.of("_csrf", "whatever"));
        assertEquals(403, p.status());
        assertEquals("active", appliance.get("nodes/local", appliance.adminToken()).json().path("state").asText());
    }

    @Test
    void aDisabledUserIsSignedOutAtTheNextRequest() {
        appliance.userToken("leaver", "operator");
        ConsoleHttp b = browser().signIn("leaver", "password-of-leaver");
        String id = UserIds.userId(appliance, "leaver");
        appliance.expect(200, appliance.request("PATCH", "/api/v1/users/" + id, "{\"disabled\":true}", appliance.adminToken()));
        assertEquals(302, b.get("/").status());
    }
}
