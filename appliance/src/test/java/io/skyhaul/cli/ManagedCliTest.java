package io.skyhaul.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.testing.ChildJvm;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code skyhaul} command in child JVMs against a running manager, as a user runs it: login
 * (token saved 0600), send, ls, get, transfers; and the failures a user meets first: a wrong
 * password, a partner token used outside its scope, no manager listening.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagedCliTest {
    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    static RunningAppliance appliance;
    static Path config;
    static Path file;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        appliance = RunningAppliance.start(tmp.resolve("data"));
        config = tmp.resolve("config");
        file = TestFiles.randomFile(tmp.resolve("src/rushes.mov"), 1_500_000, 7);
    }

    @AfterAll
    static void stop() {
        appliance.close();
    }

    static Run skyhaul(String name, Map<String, String> extraEnv, String stdin, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("SKYHAUL_CONFIG_DIR", config.toString()));
        env.putAll(extraEnv);
        try (ChildJvm child = ChildJvm.start(tmp, name, env, stdin, args)) {
            int exit = child.waitFor(CHILD_TIMEOUT).orElseThrow(() -> new AssertionError(name + " still running after " + CHILD_TIMEOUT));
            return new Run(exit, child.stdout(), child.stderr());
        }
    }

    @Test
    @Order(1)
    void loginSavesATokenReadableByItsOwnerOnly() throws Exception {
        Run r = skyhaul("login", Map.of(), RunningAppliance.ADMIN_PASSWORD + "\n", "login", "--server", appliance.baseUrl(), "--password-stdin");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.err().contains("signed in to " + appliance.baseUrl() + " as admin"), r.err());
        Path saved = config.resolve("credentials.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
        JsonNode creds = new ObjectMapper().readTree(saved.toFile());
        assertEquals(appliance.baseUrl(), creds.path("server").asText());
        assertTrue(creds.path("token").asText().startsWith("shk_"), creds.toString());
        assertFalse(Files.readString(saved).contains(RunningAppliance.ADMIN_PASSWORD), "the password is not kept");
    }

    @Test
    @Order(2)
    void sendLsGetAndTransfers() throws Exception {
        String sha = TestFiles.sha256(file);
        Run send = skyhaul("send", Map.of(), null, "send", "--json", file.toString(), "local://local/inbox/cli/");
        assertEquals(ExitCodes.OK, send.exit(), send.toString());
        JsonNode summary = new ObjectMapper().readTree(send.out());
        assertEquals("done", summary.path("state").asText(), send.out());
        assertEquals("local://local/inbox/cli/", summary.path("location").asText());
        assertEquals(1_500_000, summary.path("bytes").asLong());
        assertEquals(sha, summary.path("digests").path("rushes.mov").asText(), send.out());
        assertTrue(summary.path("endToEndMbps").asDouble() > 0, send.out());
        String id = summary.path("transfer").asText();
        assertEquals(sha, TestFiles.sha256(appliance.localBucket("inbox").resolve("cli/rushes.mov")));

        Run ls = skyhaul("ls", Map.of(), null, "ls", "local://local/inbox/cli/");
        assertEquals(ExitCodes.OK, ls.exit(), ls.toString());
        assertTrue(ls.out().contains("cli/rushes.mov") && ls.out().contains(sha) && ls.out().contains("1500000"), ls.out());
        assertTrue(ls.err().contains("1 object(s), 1500000 bytes"), ls.err());

        Path restore = tmp.resolve("restore");
        Run get = skyhaul("get", Map.of(), null, "get", "local://local/inbox/cli/", restore.toString());
        assertEquals(ExitCodes.OK, get.exit(), get.toString());
        assertEquals(sha, TestFiles.sha256(restore.resolve("rushes.mov")));

        Run transfers = skyhaul("transfers", Map.of(), null, "transfers", "--json");
        assertEquals(ExitCodes.OK, transfers.exit(), transfers.toString());
        JsonNode list = new ObjectMapper().readTree(transfers.out());
        assertEquals(2, list.size(), transfers.out());
        assertEquals("download", list.get(0).path("direction").asText());
        assertEquals(id, list.get(1).path("id").asText());
        assertEquals("done", list.get(1).path("state").asText());

        Run table = skyhaul("transfers-table", Map.of(), null, "transfers");
        assertEquals(ExitCodes.OK, table.exit(), table.toString());
        assertTrue(table.out().contains(id) && table.out().contains("local://local/inbox/cli/ (admin)"), table.out());
    }

    @Test
    @Order(3)
    void aWrongPasswordIsRefusedClearly() throws Exception {
        Run r = skyhaul("login-wrong", Map.of("SKYHAUL_CONFIG_DIR", tmp.resolve("other-config").toString()), "not the password\n",
                "login", "--server", appliance.baseUrl(), "--password-stdin");
        assertEquals(ExitCodes.REFUSED, r.exit(), r.toString());
        assertTrue(r.err().contains("wrong user name or password"), r.err());
        assertFalse(Files.exists(tmp.resolve("other-config/credentials.json")), "nothing saved");
    }

    @Test
    @Order(4)
    void aPartnerTokenOutsideItsScopeIsRefusedWithTheReason() throws Exception {
        String token = appliance.expect(201, appliance.post("partner-tokens", Map.of("name", "acme", "location", "local://local/inbox/acme/",
                "direction", "upload", "expiresAt", Instant.now().plusSeconds(3600).toString()), appliance.adminToken())).path("token").asText();
        Run r = skyhaul("send-partner", Map.of(), null, "send", "--token", token, file.toString(), "local://local/inbox/not-acme/");
        assertEquals(ExitCodes.REFUSED, r.exit(), r.toString());
        assertTrue(r.err().contains("is limited to local://local/inbox/acme/"), r.err());
        assertFalse(Files.exists(appliance.localBucket("inbox").resolve("not-acme")));
    }

    @Test
    @Order(5)
    void noManagerListeningExitsFourWithCannotReach() throws Exception {
        Map<String, String> env = Map.of("SKYHAUL_CONFIG_DIR", tmp.resolve("empty-config").toString(), "SKYHAUL_SERVER", "http://127.0.0.1:1",
                "SKYHAUL_TOKEN", "shk_whatever");
        Run r = skyhaul("ls-unreachable", env, null, "ls", "local://local/inbox/");
        assertEquals(ExitCodes.UNREACHABLE, r.exit(), r.toString());
        assertTrue(r.err().contains("cannot reach the manager at http://127.0.0.1:1"), r.err());
    }
}
