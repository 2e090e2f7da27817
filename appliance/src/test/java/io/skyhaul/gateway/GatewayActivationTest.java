package io.skyhaul.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.config.GatewayConfig;
import io.skyhaul.testing.ChildJvm;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningAppliance.Reply;
import io.skyhaul.testing.RunningGateway;
import io.skyhaul.vault.PublicKeySeal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Activation of a gateway, over real HTTP on loopback: the code it shows binds it once; a code
 * used again, unknown, malformed or expired is refused with the reason; a deactivated gateway is
 * shut out and asks to be activated again. Who may do what on the gateway endpoints.
 */
@Timeout(120)
class GatewayActivationTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    static Path tmp;
    static RunningAppliance manager;

    @BeforeAll
    static void start() throws Exception {
        manager = RunningAppliance.start(tmp.resolve("manager"));
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    Reply activate(String code, String name, String token) {
        return manager.post("gateways", Map.of("code", code, "name", name), token);
    }

    @Test
    void aGatewayIsActivatedWithItsCodeAndACodeWorksOnce() throws Exception {
        try (RunningGateway g = RunningGateway.start(tmp.resolve("gw-once"), manager.baseUrl(), GatewayConfig.defaults())) {
            String code = g.awaitCode(WAIT);
            assertTrue(code.matches("[A-Z2-9]{4}-[A-Z2-9]{4}"), code);
            assertEquals(403, activate(code, "studio-a", manager.userToken("ops-a", "operator")).status(), "only an admin activates");
            // Typed in lower case, without the dash: still the code.
            JsonNode gw = manager.expect(201, activate(code.toLowerCase().replace("-", ""), "studio-a", manager.adminToken()));
            assertEquals("studio-a", gw.path("name").asText());
            assertEquals(g.status().fingerprint(), gw.path("fingerprint").asText(), "the console shows the fingerprint the gateway shows");
            g.awaitConnected(WAIT);
            assertEquals("studio-a", g.status().name());
            Path credentials = tmp.resolve("gw-once/gateway/credentials.json");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)));
            assertFalse(Files.readString(credentials).isBlank());
            ChildJvm.await("the manager sees the gateway online with its status", WAIT,
                    () -> manager.get("gateways/studio-a", manager.adminToken()).json().path("online").asBoolean()
                            && manager.get("gateways/studio-a", manager.adminToken()).json().has("status"));

            Reply again = activate(code, "studio-b", manager.adminToken());
            assertEquals(409, again.status(), again.toString());
            assertTrue(again.json().path("detail").asText().contains("already used") && again.json().path("detail").asText().contains("studio-a"),
                    again.toString());
            Reply unknown = activate("ABCD-EFGH", "studio-c", manager.adminToken());
            assertEquals(404, unknown.status(), unknown.toString());
            assertTrue(unknown.json().path("detail").asText().contains("no gateway is waiting"), unknown.toString());
            Reply malformed = activate("K7Q0-4XPA", "studio-d", manager.adminToken());
            assertEquals(400, malformed.status(), malformed.toString());
            assertEquals("code", malformed.json().path("errors").path(0).path("field").asText(), malformed.toString());
            assertTrue(manager.get("audit?action=gateway.activate", manager.adminToken()).body().contains("studio-a"));
        }
    }

    @Test
    void aDeactivatedGatewayIsShutOutAndAsksToBeActivatedAgain() throws Exception {
        try (RunningGateway g = RunningGateway.start(tmp.resolve("gw-deact"), manager.baseUrl(), GatewayConfig.defaults())) {
            String first = g.awaitCode(WAIT);
            manager.expect(201, activate(first, "studio-deact", manager.adminToken()));
            g.awaitConnected(WAIT);
            String key = JSON.readTree(Files.readString(tmp.resolve("gw-deact/gateway/credentials.json"))).path("key").asText();
            assertEquals(200, manager.get("gateway/commands?waitSeconds=0", key).status());

            JsonNode gone = manager.expect(200, manager.request("DELETE", "/api/v1/gateways/studio-deact", null, manager.adminToken()));
            assertFalse(gone.path("active").asBoolean());
            assertEquals(401, manager.get("gateway/commands?waitSeconds=0", key).status(), "the old key is refused");
            ChildJvm.await("the gateway asks to be activated again with a new code", WAIT,
                    () -> g.status().activationCode() != null && !g.status().activationCode().equals(first));
            assertFalse(g.status().activated());
            assertTrue(Files.exists(tmp.resolve("gw-deact/gateway/credentials.revoked.json")), "the revoked credentials are kept aside");
            Reply command = manager.post("gateways/studio-deact/commands", Map.of("kind", "pause"), manager.adminToken());
            assertEquals(409, command.status(), "a deactivated gateway takes no commands: " + command);

            // The same name may be given again, to the gateway's new key: this time from the command line.
            Map<String, String> env = Map.of("SKYHAUL_CONFIG_DIR", tmp.resolve("cli-config").toString(), "SKYHAUL_SERVER", manager.baseUrl(),
                    "SKYHAUL_TOKEN", manager.adminToken());
            try (ChildJvm cli = ChildJvm.start(tmp, "cli-activate", env, null, "gateways", "activate", g.status().activationCode(), "studio-deact")) {
                assertEquals(java.util.Optional.of(0), cli.waitFor(WAIT), cli.stderr());
                assertTrue(cli.stderr().contains("gateway studio-deact: active"), cli.stderr());
            }
            g.awaitConnected(WAIT);
            try (ChildJvm cli = ChildJvm.start(tmp, "cli-list", env, null, "gateways")) {
                assertEquals(java.util.Optional.of(0), cli.waitFor(WAIT), cli.stderr());
                assertTrue(cli.stdout().lines().anyMatch(l -> l.startsWith("studio-deact ") && l.contains("online")), cli.stdout());
            }
            assertNotEquals(key, JSON.readTree(Files.readString(tmp.resolve("gw-deact/gateway/credentials.json"))).path("key").asText());
        }
    }

    @Test
    void anExpiredCodeIsRefusedAndTheGatewayShowsANewOne() throws Exception {
        try (RunningAppliance shortCodes = RunningAppliance.start(tmp.resolve("manager-short"), c -> c.withGatewayCodeSeconds(10));
                RunningGateway g = RunningGateway.start(tmp.resolve("gw-expiry"), shortCodes.baseUrl(), GatewayConfig.defaults())) {
            String first = g.awaitCode(WAIT);
            ChildJvm.await("the gateway replaces its expired code by a new one", WAIT,
                    () -> g.status().activationCode() != null && !g.status().activationCode().equals(first));
            Reply expired = shortCodes.post("gateways", Map.of("code", first, "name", "late"), shortCodes.adminToken());
            assertEquals(410, expired.status(), expired.toString());
            assertTrue(expired.json().path("detail").asText().contains("expired"), expired.toString());
            shortCodes.expect(201, shortCodes.post("gateways", Map.of("code", g.status().activationCode(), "name", "in-time"), shortCodes.adminToken()));
            g.awaitConnected(WAIT);
        }
    }

    @Test
    void theOpenActivationEndpointsRefuseBadInputAndAreBounded() throws Exception {
        try (RunningAppliance flooded = RunningAppliance.start(tmp.resolve("manager-flooded"))) {
            Reply notAKey = flooded.post("gateway/activations", Map.of("publicKey", "bm90IGEga2V5"), null);
            assertEquals(400, notAKey.status(), notAKey.toString());
            assertEquals("publicKey", notAKey.json().path("errors").path(0).path("field").asText(), notAKey.toString());
            assertEquals(400, flooded.post("gateway/activations", Map.of(), null).status());
            assertEquals(404, flooded.get("gateway/activations/00000000000000000000000000000000", null).status());

            // A gateway asking again with its key (it restarted) replaces its code: it never locks itself out.
            String restarting = PublicKeySeal.encode(PublicKeySeal.newKeyPair(new SecureRandom()).getPublic());
            String firstId = null;
            for (int i = 0; i < 30; i++) {
                Reply r = flooded.post("gateway/activations", Map.of("publicKey", restarting), null);
                assertEquals(201, r.status(), "request " + i + " of one restarting gateway: " + r);
                if (firstId == null) {
                    firstId = r.json().path("id").asText();
                }
            }
            assertEquals(410, flooded.get("gateway/activations/" + firstId, null).status(), "its first code ended when it asked again");

            // Many keys from one address: bounded.
            int created = 0;
            Reply last = null;
            for (int i = 0; i < 40 && (last == null || last.status() == 201); i++) {
                String key = PublicKeySeal.encode(PublicKeySeal.newKeyPair(new SecureRandom()).getPublic());
                last = flooded.post("gateway/activations", Map.of("publicKey", key, "hostname", "flood-" + i), null);
                created += last.status() == 201 ? 1 : 0;
            }
            assertEquals(429, last.status(), last.toString());
            assertEquals(19, created, "codes waiting from one address before the limit (20, one of them the restarting gateway's)");
            assertTrue(last.json().path("detail").asText().contains("too many gateways are waiting"), last.toString());
        }
    }

    @Test
    void gatewayEndpointsRefuseWhoMayNotUseThem() throws Exception {
        try (RunningGateway g = RunningGateway.start(tmp.resolve("gw-rights"), manager.baseUrl(), GatewayConfig.defaults())) {
            manager.expect(201, activate(g.awaitCode(WAIT), "studio-rights", manager.adminToken()));
            g.awaitConnected(WAIT);
            String key = JSON.readTree(Files.readString(tmp.resolve("gw-rights/gateway/credentials.json"))).path("key").asText();
            String viewer = manager.userToken("viewer-g", "read-only");
            assertEquals(200, manager.get("gateways", viewer).status());
            assertEquals(403, manager.post("gateways/studio-rights/commands", Map.of("kind", "pause"), viewer).status());
            assertEquals(403, manager.request("DELETE", "/api/v1/gateways/studio-rights", null, manager.userToken("ops-g", "operator")).status());
            Reply asGateway = manager.get("accounts", key);
            assertEquals(403, asGateway.status(), asGateway.toString());
            assertTrue(asGateway.json().path("detail").asText().contains("gateway key"), asGateway.toString());
            assertEquals(403, manager.get("gateway/commands?waitSeconds=0", manager.adminToken()).status(), "a user is not a gateway");
            assertEquals(404, manager.post("gateways/nobody/commands", Map.of("kind", "pause"), manager.adminToken()).status());
            Reply shape = manager.post("gateways/studio-rights/commands", Map.of("kind", "hot-folder.remove"), manager.adminToken());
            assertEquals(400, shape.status(), shape.toString());
            Reply kind = manager.post("gateways/studio-rights/commands", Map.of("kind", "format-disk"), manager.adminToken());
            assertEquals(400, kind.status(), kind.toString());
            Reply result = manager.post("gateway/commands/999999/result", Map.of("ok", true), key);
            assertEquals(404, result.status(), "a command that is not this gateway's: " + result);
            Reply status = manager.post("gateway/status", Map.of("version", "x".repeat(65)), key);
            assertEquals(400, status.status(), status.toString());
        }
    }
}
