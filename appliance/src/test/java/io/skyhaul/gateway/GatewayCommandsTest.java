package io.skyhaul.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.config.GatewayConfig;
import io.skyhaul.testing.ChildJvm;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningGateway;
import io.skyhaul.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands from the manager reach the gateway over the control link it opened, run there, and
 * come back with their result: pause and resume, hot folders set and removed, transfers of the
 * gateway's shared files both ways, and a transfer outside what the gateway shares refused.
 */
@Timeout(180)
class GatewayCommandsTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    static RunningAppliance manager;
    static RunningGateway gateway;
    static Path share;

    @BeforeAll
    static void start() throws Exception {
        manager = RunningAppliance.start(tmp.resolve("manager"));
        share = Files.createDirectories(tmp.resolve("share"));
        gateway = RunningGateway.start(tmp.resolve("gw"), manager.baseUrl(), GatewayConfig.defaults().withSharedRoots(List.of(share)));
        manager.expect(201, manager.post("gateways", Map.of("code", gateway.awaitCode(WAIT), "name", "studio"), manager.adminToken()));
        gateway.awaitConnected(WAIT);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        manager.close();
    }

    /** Sends a command and waits for its result. */
    static JsonNode run(Map<String, Object> command) throws InterruptedException {
        long seq = manager.expect(201, manager.post("gateways/studio/commands", command, manager.adminToken())).path("seq").asLong();
        JsonNode[] last = new JsonNode[1];
        ChildJvm.await("command #" + seq + " answered", WAIT, () -> {
            last[0] = manager.get("gateways/studio/commands/" + seq, manager.adminToken()).json();
            return last[0].path("state").asText().matches("done|failed");
        });
        return last[0];
    }

    @Test
    void pauseAndResumeAreRecordedAndReported() throws Exception {
        JsonNode paused = run(Map.of("kind", "pause"));
        assertEquals("done", paused.path("state").asText(), paused.toString());
        assertTrue(gateway.status().status().paused());
        ChildJvm.await("the manager sees the gateway paused", WAIT,
                () -> manager.get("gateways/studio", manager.adminToken()).json().path("status").path("paused").asBoolean());
        assertEquals("done", run(Map.of("kind", "resume")).path("state").asText());
        assertTrue(!gateway.status().status().paused());
        assertEquals("done", run(Map.of("kind", "status")).path("state").asText());
    }

    @Test
    void aHotFolderSetFromTheManagerSendsItsFilesAndCanBeRemoved() throws Exception {
        Map<String, Object> outside = Map.of("name", "outside", "path", Files.createDirectories(tmp.resolve("not-shared")).toString(),
                "destination", "local://local/inbox/outside/", "afterSuccess", "delete");
        JsonNode refused = run(Map.of("kind", "hot-folder.set", "hotFolder", outside));
        assertEquals("failed", refused.path("state").asText(), "the manager may not watch (and delete from) what the gateway does not share: " + refused);
        assertTrue(refused.path("result").asText().contains("outside the gateway's shared roots"), refused.toString());
        Map<String, Object> escapes = Map.of("name", "escapes", "path", share.resolve("ok").toString(), "destination", "local://local/inbox/x/",
                "afterSuccess", "move", "doneFolder", tmp.resolve("elsewhere").toString());
        assertEquals("failed", run(Map.of("kind", "hot-folder.set", "hotFolder", escapes)).path("state").asText(), "nor move files out of the share");

        Path hot = Files.createDirectories(share.resolve("hot-cmd"));
        Map<String, Object> folder = new LinkedHashMap<>();
        folder.put("name", "from-manager");
        folder.put("path", hot.toString());
        folder.put("destination", "local://local/inbox/from-manager/");
        folder.put("settleSeconds", 1);
        JsonNode set = run(Map.of("kind", "hot-folder.set", "hotFolder", folder));
        assertEquals("done", set.path("state").asText(), set.toString());
        Path file = TestFiles.randomFile(hot.resolve("clip.mov"), 300_000, 7);
        String sha = TestFiles.sha256(file);
        Path arrived = manager.localBucket("inbox").resolve("from-manager/clip.mov");
        ChildJvm.await("the file dropped in the hot folder arrives", WAIT, () -> Files.exists(arrived));
        assertEquals(sha, TestFiles.sha256(arrived));
        ChildJvm.await("the sent file is moved to the done folder", WAIT, () -> Files.exists(hot.resolve(".skyhaul-done/clip.mov")));
        assertEquals("done", run(Map.of("kind", "hot-folder.remove", "name", "from-manager")).path("state").asText());
        JsonNode missing = run(Map.of("kind", "hot-folder.remove", "name", "from-manager"));
        assertEquals("failed", missing.path("state").asText());
        assertTrue(missing.path("result").asText().contains("no hot folder"), missing.toString());
        var relative = manager.post("gateways/studio/commands", Map.of("kind", "hot-folder.set", "hotFolder",
                Map.of("name", "x", "path", "relative/dir", "destination", "local://local/inbox/")), manager.adminToken());
        assertEquals(400, relative.status(), relative.toString());
        assertTrue(relative.body().contains("hotFolder.path"), relative.toString());
    }

    @Test
    void transfersOfSharedFilesRunBothWaysAndNothingElseIsReachable() throws Exception {
        Path a = TestFiles.randomFile(share.resolve("a.bin"), 1_000_000, 1);
        Path tree = Files.createDirectories(share.resolve("tree/sub"));
        Path b = TestFiles.randomFile(tree.resolve("b.bin"), 200_000, 2);
        JsonNode up = run(Map.of("kind", "transfer", "transfer", Map.of("direction", "upload", "location", "local://local/inbox/cmd/",
                "paths", List.of(a.toString(), share.resolve("tree").toString()))));
        assertEquals("done", up.path("state").asText(), up.toString());
        assertTrue(up.path("result").asText().contains("2 file(s) sent"), up.toString());
        assertEquals(TestFiles.sha256(a), TestFiles.sha256(manager.localBucket("inbox").resolve("cmd/a.bin")));
        assertEquals(TestFiles.sha256(b), TestFiles.sha256(manager.localBucket("inbox").resolve("cmd/tree/sub/b.bin")));
        JsonNode log = manager.get("transfers?actor=studio", manager.adminToken()).json();
        assertTrue(log.size() >= 1 && log.get(0).path("actorKind").asText().equals("gateway"), "the log names the gateway: " + log);

        JsonNode down = run(Map.of("kind", "transfer", "transfer", Map.of("direction", "download", "location", "local://local/inbox/cmd/",
                "dir", share.resolve("fetched").toString())));
        assertEquals("done", down.path("state").asText(), down.toString());
        assertEquals(TestFiles.sha256(a), TestFiles.sha256(share.resolve("fetched/a.bin")));

        Path outside = TestFiles.randomFile(tmp.resolve("secret.bin"), 100, 3);
        JsonNode refused = run(Map.of("kind", "transfer", "transfer", Map.of("direction", "upload", "location", "local://local/inbox/cmd/",
                "paths", List.of(outside.toString()))));
        assertEquals("failed", refused.path("state").asText());
        assertTrue(refused.path("result").asText().contains("outside the gateway's shared roots"), refused.toString());
        Path link = share.resolve("escape");
        Files.createSymbolicLink(link, tmp);
        JsonNode viaLink = run(Map.of("kind", "transfer", "transfer", Map.of("direction", "upload", "location", "local://local/inbox/cmd/",
                "paths", List.of(link.resolve("secret.bin").toString()))));
        assertEquals("failed", viaLink.path("state").asText(), "a link out of the share does not open it: " + viaLink);
        assertTrue(Files.notExists(manager.localBucket("inbox").resolve("cmd/secret.bin")));
    }
}
