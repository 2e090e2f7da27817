package io.skyhaul.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.cli.ExitCodes;
import io.skyhaul.server.SkyhaulServer;
import io.skyhaul.testing.ChildJvm;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningAppliance.Reply;
import io.skyhaul.testing.S3MockServer;
import io.skyhaul.testing.TestFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manager and a node-only process as separate JVMs on loopback, the node registered with a
 * node key: the {@code skyhaul} CLI sends through the manager, the data goes through the remote
 * node into S3Mock and the local store, and comes back down; a bad or revoked key is refused; a
 * drained or silent node is not allocated; a node killed mid-transfer fails its transfer leaving
 * no object and no multipart upload; the node and the manager each restart and work goes on.
 */
@Timeout(420)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteNodeTest {
    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Pattern REGISTERED = Pattern.compile("node edge-1: registered with manager (\\S+) as 'edge-1'");

    @TempDir
    static Path tmp;
    static S3MockServer s3;
    static String bucket;
    static int httpPort;
    static String baseUrl;
    static ChildJvm manager;
    static ChildJvm node;
    static String adminToken;
    static String nodeKey;
    static String nodeKeyId;
    static int managerStarts;
    static int nodeStarts;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        s3 = S3MockServer.shared();
        bucket = s3.createBucket(S3MockServer.uniqueBucketName("remote-node"));
        // The manager restarts later and the node must find it at the same URL: a port the system picked, kept for the restart.
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            httpPort = probe.getLocalPort();
        }
        baseUrl = "http://127.0.0.1:" + httpPort;
        Files.writeString(tmp.resolve("manager.yml"), "roles: [manager]\ndata: " + tmp.resolve("manager-data") + "\nhttp:\n  port: " + httpPort + "\n");
        startManager();
        adminToken = call("POST", "auth/login", Map.of("username", "admin", "password", RunningAppliance.ADMIN_PASSWORD), null)
                .json().path("token").asText();
        Map<String, Object> s3Fields = new LinkedHashMap<>();
        s3Fields.put("accessKeyId", S3MockServer.ACCESS_KEY);
        s3Fields.put("secretAccessKey", S3MockServer.SECRET_KEY);
        s3Fields.put("region", S3MockServer.REGION);
        s3Fields.put("endpoint", s3.endpoint().toString());
        s3Fields.put("pathStyle", true);
        expect(201, call("POST", "accounts", Map.of("name", "media", "kind", "s3", "s3", s3Fields), adminToken));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    static void startManager() throws Exception {
        manager = ChildJvm.start(tmp, "manager-" + ++managerStarts, Map.of(SkyhaulServer.ADMIN_PASSWORD_ENV, RunningAppliance.ADMIN_PASSWORD),
                null, "serve", "--config", tmp.resolve("manager.yml").toString());
        manager.awaitStderr(Pattern.compile("manager ready: api (\\S+)"), START_TIMEOUT);
    }

    static ChildJvm startNode(String keyFileContent) throws Exception {
        Path keyFile = tmp.resolve("edge-1.key");
        Files.writeString(keyFile, keyFileContent + "\n");
        Path config = tmp.resolve("node.yml");
        Files.writeString(config, "roles: [node]\ndata: " + tmp.resolve("node-data") + "\nnode:\n  name: edge-1\n  udpPort: 0\n"
                + "manager:\n  url: " + baseUrl + "\n  nodeKeyFile: " + keyFile + "\n");
        return ChildJvm.start(tmp, "node-" + ++nodeStarts, Map.of(), null, "serve", "--config", config.toString());
    }

    @Test
    @Order(1)
    void aBadNodeKeyIsRefusedWithAClearMessage() throws Exception {
        try (ChildJvm bad = startNode("shn_" + "A".repeat(43))) {
            int exit = bad.waitFor(CHILD_TIMEOUT).orElseThrow(() -> new AssertionError("a node with a bad key still runs"));
            assertEquals(ExitCodes.USAGE, exit, bad.stderr());
            assertTrue(bad.stderr().contains("refused this node's key") && bad.stderr().contains("unknown or revoked"), bad.stderr());
        }
        Reply r = call("POST", "node/heartbeat", Map.of("sessions", 0, "throughputBps", 0, "cpuLoad", 0.0), "shn_not-a-key");
        assertEquals(401, r.status(), r.toString());
        assertTrue(r.isProblem() && r.json().path("detail").asText().contains("node key"), r.toString());
        Reply asUser = call("POST", "node/register", Map.of("publicAddress", "127.0.0.1:7400", "maxSessions", 1,
                "ticketKey", "A".repeat(43) + "="), adminToken);
        assertEquals(403, asUser.status(), "a user's token does not open the node channel: " + asUser);
        assertEquals(0, expect(200, call("GET", "nodes", null, adminToken)).size(), "nothing registered");
    }

    @Test
    @Order(2)
    void anAdminIssuesANodeKeyAndTheNodeRegistersWithIt() throws Exception {
        JsonNode issued = expect(201, call("POST", "node-keys", Map.of("name", "edge-1"), adminToken));
        nodeKey = issued.path("key").asText();
        nodeKeyId = issued.path("details").path("id").asText();
        assertTrue(nodeKey.startsWith("shn_"), issued.toString());
        String listed = call("GET", "node-keys", null, adminToken).body();
        assertFalse(listed.contains(nodeKey), "the key is shown once only");
        assertEquals(409, call("POST", "node-keys", Map.of("name", "edge-1"), adminToken).status(), "one live key per node");
        Reply badName = call("POST", "node-keys", Map.of("name", "../x"), adminToken);
        assertEquals(400, badName.status(), badName.toString());
        assertEquals("name", badName.json().path("errors").path(0).path("field").asText(), badName.toString());

        node = startNode(nodeKey);
        node.awaitStderr(REGISTERED, START_TIMEOUT);
        JsonNode n = awaitNode(v -> v.path("healthy").asBoolean(), "edge-1 healthy");
        assertTrue(n.path("remote").asBoolean() && n.path("connected").asBoolean(), n.toString());
        assertEquals("active", n.path("state").asText());
        assertTrue(n.path("udpAddress").asText().startsWith("127.0.0.1:"), n.toString());
        assertFalse(manager.stderr().contains(nodeKey) || node.stderr().contains(nodeKey), "the node key is never logged");
    }

    @Test
    @Order(3)
    void theCliSendsThroughTheRemoteNodeIntoS3AndTheLocalStore() throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("src/rushes.mov"), 3_000_000, 11);
        String sha = TestFiles.sha256(file);
        JsonNode summary = send("send-s3", file, "s3://media/" + bucket + "/in/");
        assertEquals(sha, summary.path("digests").path("rushes.mov").asText(), summary.toString());
        assertEquals(sha, s3Sha256("in/rushes.mov"), "the object read back from S3Mock");
        JsonNode t = expect(200, call("GET", "transfers/" + summary.path("transfer").asText(), null, adminToken)).path("transfer");
        assertEquals("edge-1", t.path("nodeName").asText(), t.toString());
        assertEquals("done", t.path("state").asText());

        JsonNode local = send("send-local", file, "local://local/inbox/remote/");
        assertEquals("done", local.path("state").asText());
        assertEquals(sha, TestFiles.sha256(tmp.resolve("manager-data/storage/inbox/remote/rushes.mov")));
        assertFalse(manager.stderr().contains(S3MockServer.SECRET_KEY) || node.stderr().contains(S3MockServer.SECRET_KEY),
                "the account's secret crossed the node channel but is never logged");
    }

    @Test
    @Order(4)
    void aDownloadComesBackThroughTheRemoteNode() throws Exception {
        Path dir = tmp.resolve("restore");
        Run get = skyhaul("get", "get", "s3://media/" + bucket + "/in/", dir.toString());
        assertEquals(ExitCodes.OK, get.exit(), get.toString());
        assertEquals(TestFiles.sha256(tmp.resolve("src/rushes.mov")), TestFiles.sha256(dir.resolve("rushes.mov")));
    }

    @Test
    @Order(5)
    void aDrainedNodeIsNotAllocated() throws Exception {
        expect(200, call("POST", "nodes/edge-1/drain", null, adminToken));
        Reply refused = createUpload("drained/x.bin", 10);
        assertEquals(503, refused.status(), refused.toString());
        assertEquals("/problems/no-node-available", refused.json().path("type").asText());
        assertTrue(refused.json().path("detail").asText().contains("draining"), refused.toString());
        expect(200, call("POST", "nodes/edge-1/undrain", null, adminToken));
        JsonNode created = expect(201, createUpload("undrained/x.bin", 10));
        expect(200, call("POST", "transfers/" + created.path("transfer").path("id").asText() + "/cancel", null, adminToken));
    }

    @Test
    @Order(6)
    void aNodeKilledMidTransferFailsItCleanlyAndASilentNodeIsNotAllocated() throws Exception {
        Path big = TestFiles.randomFile(tmp.resolve("src/big.bin"), 48L << 20, 12);
        try (ChildJvm sender = ChildJvm.start(tmp, "send-killed", cliEnv(), null, "send", "--json", "--max-rate", "40m", big.toString(),
                "s3://media/" + bucket + "/killed/")) {
            JsonNode running = awaitTransfer(t -> t.path("location").asText().endsWith("/killed/") && t.path("bytesDone").asLong() > 0,
                    "the upload has stored a part");
            String id = running.path("id").asText();
            assertEquals(1, s3.client().listMultipartUploads(b -> b.bucket(bucket).prefix("killed/")).uploads().size(),
                    "the node has a multipart upload open when it is killed");
            node.kill();
            JsonNode failed = awaitTransfer(t -> t.path("id").asText().equals(id) && t.path("state").asText().equals("failed"), "the transfer failed");
            assertTrue(failed.path("error").asText().contains("stopped reporting"), failed.toString());
            int exit = sender.waitFor(CHILD_TIMEOUT).orElseThrow(() -> new AssertionError("the sender still runs"));
            assertNotEquals(ExitCodes.OK, exit, sender.stderr());
        }
        ChildJvm.await("the manager aborted the node's unfinished multipart upload", Duration.ofSeconds(30),
                () -> s3.client().listMultipartUploads(b -> b.bucket(bucket).prefix("killed/")).uploads().isEmpty());
        assertTrue(s3.client().listObjectsV2(b -> b.bucket(bucket).prefix("killed/")).contents().isEmpty(), "no object is visible");
        assertTrue(manager.stderr().contains("aborted the unfinished multipart upload"), "the manager did it: " + manager.stderr());
        JsonNode n = expect(200, call("GET", "nodes/edge-1", null, adminToken));
        assertFalse(n.path("healthy").asBoolean(), n.toString());
        Reply refused = createUpload("silent/x.bin", 10);
        assertEquals(503, refused.status(), "a silent node is not allocated: " + refused);
        assertEquals("/problems/no-node-available", refused.json().path("type").asText());
    }

    @Test
    @Order(7)
    void theNodeRestartsAndThenTheManagerRestartsAndWorkGoesOn() throws Exception {
        node = startNode(nodeKey);
        node.awaitStderr(REGISTERED, START_TIMEOUT);
        awaitNode(v -> v.path("healthy").asBoolean() && v.path("connected").asBoolean(), "edge-1 back");
        Path file = TestFiles.randomFile(tmp.resolve("src/after-node-restart.bin"), 1_000_000, 13);
        assertEquals(TestFiles.sha256(file), s3ShaAfterSend("send-after-node-restart", file, "again/"));

        manager.close();
        assertTicketKeyStoredSealed();
        startManager();
        manager.awaitStderr(Pattern.compile("(1 remote node\\(s\\) known)"), START_TIMEOUT);
        ChildJvm.await("the node registered with the restarted manager", START_TIMEOUT, () -> {
            try {
                return REGISTERED.matcher(node.stderr()).results().count() >= 2;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Path second = TestFiles.randomFile(tmp.resolve("src/after-manager-restart.bin"), 1_000_000, 14);
        assertEquals(TestFiles.sha256(second), s3ShaAfterSend("send-after-manager-restart", second, "again/"));
    }

    @Test
    @Order(8)
    void aRevokedKeyShutsTheNodeOut() throws Exception {
        expect(200, call("DELETE", "node-keys/" + nodeKeyId, null, adminToken));
        node.awaitStderr(Pattern.compile("(the manager refused this node's key: 401)"), Duration.ofSeconds(30));
        Reply r = call("POST", "node/heartbeat", Map.of("sessions", 0, "throughputBps", 0, "cpuLoad", 0.0), nodeKey);
        assertEquals(401, r.status(), r.toString());
        assertTrue(r.json().path("detail").asText().contains("unknown or revoked"), r.toString());
    }

    // ---- helpers

    /** The manager's database holds the node's ticket key only sealed: neither its bytes nor their hex or base64 appear in it. */
    static void assertTicketKeyStoredSealed() throws IOException {
        byte[] key = HexFormat.of().parseHex(Files.readString(tmp.resolve("node-data/node/node.key")).strip());
        List<byte[]> forms = List.of(key, HexFormat.of().formatHex(key).getBytes(), java.util.Base64.getEncoder().encode(key));
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("manager-data/skyhaul.db"));
                var rows = db.createStatement().executeQuery("SELECT ticket_key FROM nodes WHERE name = 'edge-1' AND remote = 1")) {
            assertTrue(rows.next(), "edge-1 is in the registry");
            byte[] sealed = rows.getBytes(1);
            assertTrue(sealed != null && sealed.length > key.length, "the ticket key is stored (sealed)");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        try (var files = Files.list(tmp.resolve("manager-data"))) {
            for (Path db : files.filter(f -> f.getFileName().toString().startsWith("skyhaul.db")).toList()) {
                byte[] content = Files.readAllBytes(db);
                for (byte[] form : forms) {
                    assertFalse(contains(content, form), db + " holds the node's ticket key in clear");
                }
            }
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    record Run(int exit, String out, String err) {
    }

    static Map<String, String> cliEnv() {
        return Map.of("SKYHAUL_CONFIG_DIR", tmp.resolve("cli-config").toString(), "SKYHAUL_SERVER", baseUrl, "SKYHAUL_TOKEN", adminToken);
    }

    static Run skyhaul(String name, String... args) throws Exception {
        try (ChildJvm child = ChildJvm.start(tmp, name, cliEnv(), null, args)) {
            int exit = child.waitFor(CHILD_TIMEOUT).orElseThrow(() -> new AssertionError(name + " still running after " + CHILD_TIMEOUT));
            return new Run(exit, child.stdout(), child.stderr());
        }
    }

    static JsonNode send(String name, Path file, String location) throws Exception {
        Run r = skyhaul(name, "send", "--json", file.toString(), location);
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        JsonNode summary = JSON.readTree(r.out());
        assertEquals("done", summary.path("state").asText(), r.out());
        return summary;
    }

    static String s3ShaAfterSend(String name, Path file, String prefix) throws Exception {
        send(name, file, "s3://media/" + bucket + "/" + prefix);
        return s3Sha256(prefix + file.getFileName());
    }

    static String s3Sha256(String key) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = s3.client().getObject(b -> b.bucket(bucket).key(key))) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static Reply createUpload(String path, long size) {
        return call("POST", "transfers", Map.of("direction", "upload", "location", "s3://media/" + bucket + "/",
                "files", List.of(Map.of("path", path, "size", size))), adminToken);
    }

    static JsonNode awaitNode(java.util.function.Predicate<JsonNode> condition, String what) throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        ChildJvm.await(what, START_TIMEOUT, () -> {
            Reply r = call("GET", "nodes/edge-1", null, adminToken);
            found[0] = r.status() == 200 ? r.json() : null;
            return found[0] != null && condition.test(found[0]);
        });
        return found[0];
    }

    static JsonNode awaitTransfer(java.util.function.Predicate<JsonNode> condition, String what) throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        ChildJvm.await(what, CHILD_TIMEOUT, () -> {
            for (JsonNode t : call("GET", "transfers", null, adminToken).json()) {
                if (condition.test(t)) {
                    // The list shows the log; live bytes come with the transfer itself.
                    found[0] = t;
                    return true;
                }
                if (!t.path("state").asText().equals("failed")) {
                    JsonNode live = call("GET", "transfers/" + t.path("id").asText(), null, adminToken).json().path("transfer");
                    if (condition.test(live)) {
                        found[0] = live;
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    static JsonNode expect(int status, Reply r) {
        assertEquals(status, r.status(), r.toString());
        return r.body().isEmpty() ? JSON.nullNode() : r.json();
    }

    static Reply call(String method, String path, Object body, String token) {
        return new io.skyhaul.testing.HttpApi(baseUrl).call(method, path, body, token);
    }
}
