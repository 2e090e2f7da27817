package io.skyhaul.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.cli.ExitCodes;
import io.skyhaul.config.FileRulesConfig;
import io.skyhaul.config.GatewayConfig;
import io.skyhaul.config.SpoolConfig;
import io.skyhaul.testing.ChildJvm;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningAppliance.Reply;
import io.skyhaul.testing.RunningGateway;
import io.skyhaul.testing.TestFiles;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's local spool API and {@code skyhaul spool}: a file is acknowledged once durable
 * and then arrives; every bad request is refused with a clear reason and leaves nothing behind;
 * a full spool tells the client to wait (503 and Retry-After), and the CLI waits rather than fail.
 */
@Timeout(240)
class SpoolApiTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String LOCATION = "local://local/inbox/spool-api/";

    @TempDir
    static Path tmp;
    static RunningAppliance manager;
    static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        manager = RunningAppliance.start(tmp.resolve("manager"));
        SpoolConfig spool = new SpoolConfig(1L << 20, null, new FileRulesConfig(List.of("mov", "bin"), true, null, null, "[A-Za-z0-9._ -]+"), null);
        gateway = RunningGateway.start(tmp.resolve("gw"), manager.baseUrl(), GatewayConfig.defaults().withSpool(spool));
        manager.expect(201, manager.post("gateways", Map.of("code", gateway.awaitCode(WAIT), "name", "spooler"), manager.adminToken()));
        gateway.awaitConnected(WAIT);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        manager.close();
    }

    static Reply put(String location, String path, byte[] body, Map<String, String> headers) throws Exception {
        return gateway.local("POST", "spool?location=" + enc(location) + "&path=" + enc(path), HttpRequest.BodyPublishers.ofByteArray(body),
                merge(Map.of("Content-Type", "application/octet-stream"), headers));
    }

    static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new java.util.HashMap<>(a);
        m.putAll(b);
        return m;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static int spooled() throws Exception {
        return gateway.localJson("spool").path("usage").path("files").asInt();
    }

    @Test
    void anAcknowledgedFileArrivesIntact() throws Exception {
        Path f = TestFiles.randomFile(tmp.resolve("take.bin"), 300_000, 1);
        String sha = TestFiles.sha256(f);
        Reply r = put(LOCATION, "day 1/take.bin", Files.readAllBytes(f), Map.of("X-Content-SHA256", sha));
        assertEquals(201, r.status(), r.toString());
        assertEquals(sha, r.json().path("sha256").asText());
        Path arrived = manager.localBucket("inbox").resolve("spool-api/day 1/take.bin");
        ChildJvm.await("the spooled file arrives", WAIT, () -> Files.exists(arrived));
        assertEquals(sha, TestFiles.sha256(arrived));
    }

    @Test
    void badRequestsAreRefusedClearlyAndLeaveNothingBehind() throws Exception {
        int before = spooled();
        byte[] body = "not much".getBytes(StandardCharsets.US_ASCII);
        Reply noToken = gateway.local("GET", "status", null, Map.of("Authorization", "Bearer shl_wrong"));
        assertEquals(401, noToken.status(), noToken.toString());
        assertTrue(noToken.json().path("detail").asText().contains("local-api.token"), noToken.toString());

        assertField(put("", "a.bin", body, Map.of()), 400, "location");
        assertField(put("ftp://x/y/", "a.bin", body, Map.of()), 400, "location");
        assertField(put(LOCATION, "../escape.bin", body, Map.of()), 400, "path");
        assertField(put(LOCATION, "/etc/passwd.bin", body, Map.of()), 400, "path");
        assertField(put(LOCATION, "a.bin", body, Map.of("X-Content-SHA256", "12ab")), 400, "X-Content-SHA256");

        Reply wrongDigest = put(LOCATION, "a.bin", body, Map.of("X-Content-SHA256", "0".repeat(64)));
        assertEquals(400, wrongDigest.status(), wrongDigest.toString());
        assertTrue(wrongDigest.json().path("detail").asText().toLowerCase().contains("sha-256"), wrongDigest.toString());

        Reply chunked = gateway.local("POST", "spool?location=" + enc(LOCATION) + "&path=a.bin",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)), Map.of("Content-Type", "application/octet-stream"));
        assertEquals(411, chunked.status(), chunked.toString());

        Reply larger = put(LOCATION, "huge.bin", new byte[(1 << 20) + 1], Map.of());
        assertEquals(413, larger.status(), "larger than the whole spool: waiting would not help: " + larger);

        assertTrue(spooled() <= before, "nothing of the refused requests was kept");
        assertFalse(gateway.localJson("spool").toString().contains("escape"));
        Reply empty = put(LOCATION, "empty.bin", new byte[0], Map.of());
        assertEquals(201, empty.status(), "an empty file is a file: " + empty);
    }

    @Test
    void aFileARuleRefusesIsTurnedAwayBeforeItIsKeptAndTheReasonShows() throws Exception {
        Reply ext = put(LOCATION, "notes.txt", "hello".getBytes(StandardCharsets.US_ASCII), Map.of());
        assertEquals(422, ext.status(), ext.toString());
        assertTrue(ext.json().path("detail").asText().contains("extension"), ext.toString());
        Reply magic = put(LOCATION, "clip.mov", ("%PDF-1.7\n" + "x".repeat(200)).getBytes(StandardCharsets.US_ASCII), Map.of());
        assertEquals(422, magic.status(), magic.toString());
        assertTrue(magic.json().path("detail").asText().contains("QuickTime"), magic.toString());
        Reply name = put(LOCATION, "bad|name.mov", new byte[10], Map.of());
        assertEquals(422, name.status(), name.toString());
        JsonNode refusals = gateway.localJson("status").path("status").path("refusals");
        assertTrue(refusals.toString().contains("clip.mov") && refusals.toString().contains("notes.txt"), refusals.toString());
        ChildJvm.await("the manager shows the refusals at once", Duration.ofSeconds(10),
                () -> manager.get("gateways/spooler", manager.adminToken()).body().contains("clip.mov"));
        assertTrue(Files.notExists(manager.localBucket("inbox").resolve("spool-api/clip.mov")));
    }

    @Test
    void aFullSpoolTellsTheClientToWaitAndTheCliWaits() throws Exception {
        manager.expect(201, manager.post("gateways/spooler/commands", Map.of("kind", "pause"), manager.adminToken()));
        ChildJvm.await("paused", WAIT, () -> gateway.status().status().paused());
        byte[] chunk = new byte[400_000];
        new java.util.Random(1).nextBytes(chunk);
        assertEquals(201, put(LOCATION, "full-1.bin", chunk, Map.of()).status());
        assertEquals(201, put(LOCATION, "full-2.bin", chunk, Map.of()).status());
        Reply full = put(LOCATION, "full-3.bin", chunk, Map.of());
        assertEquals(503, full.status(), full.toString());
        assertTrue(full.json().path("detail").asText().contains("spool full"), full.toString());

        Path file = TestFiles.randomFile(tmp.resolve("cli/waits.bin"), 400_000, 9);
        String token = gateway.agent().localTokenFile().toString();
        try (ChildJvm cli = ChildJvm.start(tmp, "spool-cli", Map.of(), null, "spool", "--gateway", gateway.agent().localApiUrl(), "--token-file", token,
                file.toString(), LOCATION)) {
            cli.awaitStderr(Pattern.compile("(spool full)"), WAIT);
            assertTrue(cli.process().isAlive(), "the CLI waits for room instead of failing");
            manager.expect(201, manager.post("gateways/spooler/commands", Map.of("kind", "resume"), manager.adminToken()));
            Optional<Integer> exit = cli.waitFor(WAIT);
            assertEquals(Optional.of(ExitCodes.OK), exit, cli.stderr());
            assertTrue(cli.stderr().contains("accepted"), cli.stderr());
        }
        Path arrived = manager.localBucket("inbox").resolve("spool-api/waits.bin");
        ChildJvm.await("the waiting file arrives", WAIT, () -> Files.exists(arrived));
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(arrived));
        for (String n : List.of("full-1.bin", "full-2.bin")) {
            ChildJvm.await(n + " arrives", WAIT, () -> Files.exists(manager.localBucket("inbox").resolve("spool-api/" + n)));
        }
    }

    @Test
    void theCliRefusesBadUsageAndAMissingToken() throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("cli/x.bin"), 100, 1);
        try (ChildJvm cli = ChildJvm.start(tmp, "spool-no-dest", "spool", "--gateway", gateway.agent().localApiUrl(), "--token-file",
                gateway.agent().localTokenFile().toString(), file.toString(), "nowhere")) {
            assertEquals(Optional.of(ExitCodes.USAGE), cli.waitFor(WAIT));
        }
        try (ChildJvm cli = ChildJvm.start(tmp, "spool-no-token", "spool", "--gateway", gateway.agent().localApiUrl(), "--token-file",
                tmp.resolve("none").toString(), file.toString(), LOCATION)) {
            assertEquals(Optional.of(ExitCodes.KEY_PROBLEM), cli.waitFor(WAIT));
            assertTrue(cli.stderr().contains("token"), cli.stderr());
        }
    }

    static void assertField(Reply r, int status, String field) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(field, r.json().path("errors").path(0).path("field").asText(), r.toString());
    }
}
