package io.skyhaul.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.config.FileRulesConfig;
import io.skyhaul.config.GatewayConfig;
import io.skyhaul.config.HotFolderConfig;
import io.skyhaul.testing.ChildJvm;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningGateway;
import io.skyhaul.testing.S3MockServer;
import io.skyhaul.testing.TestFiles;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot folders against a real manager and node on loopback: a file written slowly is sent only
 * once complete; a thousand small files each arrive once; include and exclude patterns, hidden
 * and partial files; keep, move and delete after success; marker files; a rule refusing a file
 * before any byte moves, with the reason in the error folder and at the manager at once; a
 * mirror that sends changed files again and not touched ones; and the S3-compatible server as
 * the destination.
 */
@Timeout(300)
class HotFolderTest {
    static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path tmp;
    static RunningAppliance manager;
    RunningGateway gateway;
    int started;

    @BeforeAll
    static void start() throws Exception {
        manager = RunningAppliance.start(tmp.resolve("manager"));
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @AfterEach
    void closeGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    static HotFolderConfig folder(String name, Path path, String destination, Map<String, Object> more) {
        Map<String, Object> m = new HashMap<>(Map.of("name", name, "path", path.toString(), "destination", destination, "settleSeconds", 1,
                "rescanSeconds", 2));
        m.putAll(more);
        return new com.fasterxml.jackson.databind.ObjectMapper().convertValue(m, HotFolderConfig.class);
    }

    /** A gateway with these hot folders, activated under a fresh name. */
    RunningGateway gatewayWith(HotFolderConfig... folders) throws Exception {
        String name = "hf-" + ++started + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        gateway = RunningGateway.start(tmp.resolve("gw-" + name), manager.baseUrl(), GatewayConfig.defaults().withHotFolders(List.of(folders)));
        manager.expect(201, manager.post("gateways", Map.of("code", gateway.awaitCode(WAIT), "name", name), manager.adminToken()));
        gateway.awaitConnected(WAIT);
        return gateway;
    }

    Path inbox(String rel) {
        return manager.localBucket("inbox").resolve(rel);
    }

    /** Every file path the manager logged as sent (done transfers of this gateway to {@code location}), with how many times. */
    Map<String, Integer> sentFiles(String gatewayName, String location) {
        Map<String, Integer> times = new TreeMap<>();
        for (JsonNode t : manager.get("transfers?actor=" + gatewayName + "&state=done&limit=10000", manager.adminToken()).json()) {
            if (!t.path("location").asText().equals(location)) {
                continue;
            }
            for (JsonNode f : manager.get("transfers/" + t.path("id").asText(), manager.adminToken()).json().path("files")) {
                times.merge(f.path("path").asText(), 1, Integer::sum);
            }
        }
        return times;
    }

    @Test
    void aFileWrittenSlowlyIsSentOnlyOnceComplete() throws Exception {
        Path hot = Files.createDirectories(tmp.resolve("slow"));
        gatewayWith(folder("slow", hot, "local://local/inbox/slow/", Map.of("settleSeconds", 2)));
        Path file = hot.resolve("growing.mxf");
        byte[] chunk = new byte[64 * 1024];
        Random r = new Random(3);
        boolean sentEarly = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 6; i++) {
                r.nextBytes(chunk);
                out.write(chunk);
                out.flush();
                Thread.sleep(700);
                sentEarly |= Files.exists(inbox("slow/growing.mxf"));
            }
        }
        assertFalse(sentEarly, "a file still being written was sent");
        String sha = TestFiles.sha256(file);
        ChildJvm.await("the complete file arrives", WAIT, () -> Files.exists(inbox("slow/growing.mxf")));
        assertEquals(sha, TestFiles.sha256(inbox("slow/growing.mxf")));
        assertEquals(6L * chunk.length, Files.size(inbox("slow/growing.mxf")));
    }

    @Test
    void aThousandSmallFilesEachArriveOnce() throws Exception {
        Path hot = Files.createDirectories(tmp.resolve("many"));
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < 1000; i++) {
            String rel = "reel-" + (i % 10) + "/frame-" + i + ".dpx";
            Path f = TestFiles.randomFile(hot.resolve(rel), 1000 + (i % 7) * 500, i);
            expected.put(rel, TestFiles.sha256(f));
        }
        RunningGateway g = gatewayWith(folder("many", hot, "local://local/inbox/many/", Map.of("batchFiles", 250)));
        ChildJvm.await("all 1,000 files arrive", WAIT, () -> expected.keySet().stream().allMatch(rel -> Files.exists(inbox("many/" + rel))));
        for (var e : expected.entrySet()) {
            assertEquals(e.getValue(), TestFiles.sha256(inbox("many/" + e.getKey())), e.getKey());
        }
        Map<String, Integer> times = sentFiles(g.status().name(), "local://local/inbox/many/");
        assertEquals(expected.keySet(), times.keySet());
        assertTrue(times.values().stream().allMatch(n -> n == 1), "some file went in two transfers: " + times);
        ChildJvm.await("the sent files are moved to the done folder", WAIT,
                () -> expected.keySet().stream().allMatch(rel -> Files.exists(hot.resolve(".skyhaul-done/" + rel))));
    }

    @Test
    void includeExcludeHiddenAndPartialFiles() throws Exception {
        Path hot = Files.createDirectories(tmp.resolve("patterns"));
        for (String rel : List.of("a.mov", "b.txt", "proxies/c.mov", ".hidden.mov", "d.mov.part", "deep/e.mxf", "f.MOV")) {
            TestFiles.randomFile(hot.resolve(rel), 2000, rel.hashCode());
        }
        RunningGateway g = gatewayWith(folder("patterns", hot, "local://local/inbox/patterns/", Map.of("include", List.of("*.mov", "*.mxf"),
                "exclude", List.of("proxies"), "afterSuccess", "keep")));
        ChildJvm.await("the included files arrive", WAIT, () -> Files.exists(inbox("patterns/a.mov")) && Files.exists(inbox("patterns/deep/e.mxf")));
        Thread.sleep(4000);
        assertEquals(Map.of("a.mov", 1, "deep/e.mxf", 1), sentFiles(g.status().name(), "local://local/inbox/patterns/"),
                "only included, not excluded, hidden or partial files; globs are case-sensitive; kept files are not sent again");
    }

    @Test
    void keepMoveAndDeleteAfterSuccess() throws Exception {
        Path keep = Files.createDirectories(tmp.resolve("after-keep"));
        Path move = Files.createDirectories(tmp.resolve("after-move"));
        Path delete = Files.createDirectories(tmp.resolve("after-delete"));
        Path done = tmp.resolve("moved-here");
        for (Path p : List.of(keep, move, delete)) {
            TestFiles.randomFile(p.resolve("sub/clip.mov"), 5000, 1);
        }
        RunningGateway g = gatewayWith(folder("keep", keep, "local://local/inbox/after-keep/", Map.of("afterSuccess", "keep")),
                folder("move", move, "local://local/inbox/after-move/", Map.of("afterSuccess", "move", "doneFolder", done.toString())),
                folder("delete", delete, "local://local/inbox/after-delete/", Map.of("afterSuccess", "delete")));
        ChildJvm.await("moved to the done folder, keeping its path", WAIT, () -> Files.exists(done.resolve("sub/clip.mov")));
        ChildJvm.await("deleted", WAIT, () -> Files.notExists(delete.resolve("sub/clip.mov")) && Files.exists(inbox("after-delete/sub/clip.mov")));
        ChildJvm.await("kept and sent", WAIT, () -> Files.exists(inbox("after-keep/sub/clip.mov")));
        assertTrue(Files.exists(keep.resolve("sub/clip.mov")));
        Thread.sleep(5000);
        assertEquals(Map.of("sub/clip.mov", 1), sentFiles(g.status().name(), "local://local/inbox/after-keep/"), "a kept file is sent once");
        // A file of the same name dropped again after a move is a new file: sent again, and the done folder does not overwrite.
        TestFiles.randomFile(move.resolve("sub/clip.mov"), 6000, 2);
        ChildJvm.await("the second one is moved beside the first", WAIT, () -> Files.exists(done.resolve("sub/clip (2).mov")));
        assertEquals(Map.of("sub/clip.mov", 2), sentFiles(g.status().name(), "local://local/inbox/after-move/"));
    }

    @Test
    void aMarkerFileSaysWhenAFileIsComplete() throws Exception {
        Path hot = Files.createDirectories(tmp.resolve("marker"));
        gatewayWith(folder("marker", hot, "local://local/inbox/marker/", Map.of("marker", ".ready")));
        Path file = TestFiles.randomFile(hot.resolve("take-1.mov"), 10_000, 4);
        Thread.sleep(4000);
        assertFalse(Files.exists(inbox("marker/take-1.mov")), "sent before its marker");
        Files.writeString(hot.resolve("take-1.mov.ready"), "");
        String sha = TestFiles.sha256(file);
        ChildJvm.await("sent once marked", WAIT, () -> Files.exists(inbox("marker/take-1.mov")));
        assertEquals(sha, TestFiles.sha256(inbox("marker/take-1.mov")));
        ChildJvm.await("the marker is removed", WAIT, () -> Files.notExists(hot.resolve("take-1.mov.ready")));
        assertFalse(Files.exists(inbox("marker/take-1.mov.ready")), "the marker is never sent");
    }

    @Test
    void aFileBreakingARuleIsRefusedBeforeAnyByteMovesWithItsReason() throws Exception {
        Path hot = Files.createDirectories(tmp.resolve("rules"));
        FileRulesConfig rules = new FileRulesConfig(List.of("mov", "mxf"), true, 100L, 10_000_000L, null);
        RunningGateway g = gatewayWith(folder("rules", hot, "local://local/inbox/rules/", Map.of("rules", rules)));
        Files.write(hot.resolve("fake.mov"), ("%PDF-1.7\n" + "x".repeat(500)).getBytes(StandardCharsets.US_ASCII));
        TestFiles.randomFile(hot.resolve("notes.txt"), 500, 1);
        TestFiles.randomFile(hot.resolve("tiny.mxf"), 10, 1);
        ChildJvm.await("the refused files are in the error folder with their reasons", WAIT,
                () -> Files.exists(hot.resolve(".skyhaul-error/fake.mov.reason.txt")) && Files.exists(hot.resolve(".skyhaul-error/notes.txt.reason.txt"))
                        && Files.exists(hot.resolve(".skyhaul-error/tiny.mxf.reason.txt")));
        String why = Files.readString(hot.resolve(".skyhaul-error/fake.mov.reason.txt"));
        assertTrue(why.contains("PDF") && why.contains("QuickTime"), why);
        assertTrue(Files.readString(hot.resolve(".skyhaul-error/notes.txt.reason.txt")).contains("extension"));
        assertTrue(Files.readString(hot.resolve(".skyhaul-error/tiny.mxf.reason.txt")).contains("min-size"));
        assertFalse(Files.exists(inbox("rules/fake.mov")) || Files.exists(inbox("rules/notes.txt")) || Files.exists(inbox("rules/tiny.mxf")));
        assertEquals(Map.of(), sentFiles(g.status().name(), "local://local/inbox/rules/"), "no transfer for a refused file");
        ChildJvm.await("the manager shows the refusals", Duration.ofSeconds(10), () -> manager.get("gateways/" + g.status().name(),
                manager.adminToken()).json().path("status").path("refusals").size() == 3);
        JsonNode refusal = manager.get("gateways/" + g.status().name(), manager.adminToken()).json().path("status").path("refusals");
        assertTrue(refusal.toString().contains("fake.mov") && refusal.toString().contains("content-matches-extension"), refusal.toString());
        assertEquals(3, g.localJson("status").path("status").path("refusals").size(), "the gateway's local API lists them too");
    }

    @Test
    void aMirrorSendsChangedFilesAgainAndNotTouchedOnesAndPropagatesDeletes() throws Exception {
        Path hot = Files.createDirectories(tmp.resolve("mirror"));
        Path a = TestFiles.randomFile(hot.resolve("a.wav"), 20_000, 1);
        TestFiles.randomFile(hot.resolve("b.wav"), 20_000, 2);
        RunningGateway g = gatewayWith(folder("mirror", hot, "local://local/inbox/mirror/", Map.of("mirror", true, "propagateDeletes", true)));
        ChildJvm.await("both arrive", WAIT, () -> Files.exists(inbox("mirror/a.wav")) && Files.exists(inbox("mirror/b.wav")));
        Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        TestFiles.randomFile(hot.resolve("b.wav"), 30_000, 3);
        String changed = TestFiles.sha256(hot.resolve("b.wav"));
        ChildJvm.await("the changed file is sent again", WAIT, () -> TestFiles.exists(inbox("mirror/b.wav")) && sha(inbox("mirror/b.wav")).equals(changed));
        Files.delete(hot.resolve("a.wav"));
        ChildJvm.await("a deletion is propagated", WAIT, () -> Files.notExists(inbox("mirror/a.wav")));
        assertEquals(Map.of("a.wav", 1, "b.wav", 2), sentFiles(g.status().name(), "local://local/inbox/mirror/"),
                "a touched file is not sent again; a changed one is");
        assertTrue(manager.get("audit?action=object.delete", manager.adminToken()).body().contains("mirror/a.wav"));
    }

    @Test
    void filesDroppedInAHotFolderArriveInTheS3CompatibleStore() throws Exception {
        S3MockServer s3 = S3MockServer.shared();
        String bucket = s3.createBucket(S3MockServer.uniqueBucketName("hot-folder"));
        manager.createS3Account("s3hot", s3);
        Path hot = Files.createDirectories(tmp.resolve("to-s3"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            files.add(TestFiles.randomFile(hot.resolve("day-1/clip-" + i + ".mov"), 3_000_000 + i, 10 + i));
        }
        Map<String, String> sha = new HashMap<>();
        for (Path f : files) {
            sha.put("dailies/day-1/" + f.getFileName(), TestFiles.sha256(f));
        }
        gatewayWith(folder("to-s3", hot, "s3://s3hot/" + bucket + "/dailies/", Map.of()));
        ChildJvm.await("the files are in the bucket", WAIT, () -> sha.keySet().stream().allMatch(k -> {
            try {
                s3.client().headObject(b -> b.bucket(bucket).key(k));
                return true;
            } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
                return false;
            }
        }));
        for (var e : sha.entrySet()) {
            byte[] body = s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(e.getKey())).asByteArray();
            assertEquals(e.getValue(), java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body)), e.getKey());
        }
    }

    private static String sha(Path p) {
        try {
            return TestFiles.sha256(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
