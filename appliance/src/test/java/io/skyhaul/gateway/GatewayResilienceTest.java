package io.skyhaul.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.server.SkyhaulServer;
import io.skyhaul.testing.ChildJvm;
import io.skyhaul.testing.HttpApi;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningAppliance.Reply;
import io.skyhaul.testing.TestFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway and its managers as real processes on loopback, killed with SIGKILL. Two manager
 * processes share one database (as several managers behind one address do): a command sent
 * through the one the gateway is not connected to still reaches it; the gateway's manager is
 * killed, a command is sent meanwhile, and once the manager is back the gateway reconnects and
 * runs it. A gateway killed in the middle of a hot-folder batch sends nothing twice after its
 * restart; and, round after round, a gateway killed while files are spooled and uploaded loses
 * no file it acknowledged and delivers each exactly once, intact.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayResilienceTest {
    static final Duration START = Duration.ofSeconds(60);
    static final Duration WAIT = Duration.ofSeconds(120);
    static final int KILL_ROUNDS = 20;
    static final Pattern CODE = Pattern.compile("activation code ([A-Z2-9]{4}-[A-Z2-9]{4})");

    /** Kept when a test fails: the children's logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;
    static HttpApi a;
    static HttpApi b;
    static HttpApi local;
    static ChildJvm managerA;
    static ChildJvm managerB;
    static ChildJvm gateway;
    static String admin;
    static Path hot;
    static int starts;

    @BeforeAll
    static void start() throws Exception {
        int portA = freePort();
        int portB = freePort();
        int portG = freePort();
        a = new HttpApi("http://127.0.0.1:" + portA);
        b = new HttpApi("http://127.0.0.1:" + portB);
        local = new HttpApi("http://127.0.0.1:" + portG);
        Path data = tmp.resolve("manager-data");
        Files.writeString(tmp.resolve("a.yml"), "roles: [manager, node]\ndata: " + data + "\nhttp: {port: " + portA + "}\nnode: {udpPort: 0}\n");
        Files.writeString(tmp.resolve("b.yml"), "roles: [manager]\ndata: " + data + "\nhttp: {port: " + portB + "}\n");
        hot = Files.createDirectories(tmp.resolve("hot"));
        Files.writeString(tmp.resolve("gateway.yml"), "roles: [gateway]\ndata: " + tmp.resolve("gateway-data") + "\nmanager: {url: \"" + a.baseUrl()
                + "\"}\ngateway:\n  port: " + portG + "\n  statusSeconds: 1\n  hotFolders:\n    - {name: batch, path: " + hot
                + ", destination: \"local://local/inbox/batch/\", settleSeconds: 1, rescanSeconds: 2, batchFiles: 20, maxRate: 8000000}\n");
        managerA = startManager("a");
        admin = a.call("POST", "auth/login", Map.of("username", "admin", "password", RunningAppliance.ADMIN_PASSWORD), null).json().path("token").asText();
        managerB = startManager("b");
        gateway = startGateway();
        String code = gateway.awaitStderr(CODE, START);
        a.expect(201, a.call("POST", "gateways", Map.of("code", code, "name", "facility"), admin));
        ChildJvm.await("the gateway is connected", WAIT, () -> online(a));
    }

    @AfterAll
    static void stop() throws Exception {
        for (ChildJvm c : new ChildJvm[] {gateway, managerB, managerA}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    static ChildJvm startManager(String which) throws Exception {
        ChildJvm m = ChildJvm.start(tmp, "manager-" + which + "-" + ++starts, Map.of(SkyhaulServer.ADMIN_PASSWORD_ENV, RunningAppliance.ADMIN_PASSWORD),
                null, "serve", "--config", tmp.resolve(which + ".yml").toString());
        m.awaitStderr(Pattern.compile("manager ready: api (\\S+)"), START);
        return m;
    }

    static ChildJvm startGateway() throws Exception {
        ChildJvm g = ChildJvm.start(tmp, "gateway-" + ++starts, Map.of(), null, "serve", "--config", tmp.resolve("gateway.yml").toString());
        g.awaitStderr(Pattern.compile("gateway ready: local api (\\S+)"), START);
        return g;
    }

    static boolean online(HttpApi manager) {
        Reply r = manager.call("GET", "gateways/facility", null, admin);
        return r.status() == 200 && r.json().path("online").asBoolean() && r.json().has("status");
    }

    static String localToken() throws IOException {
        return Files.readString(tmp.resolve("gateway-data/gateway/local-api.token")).strip();
    }

    static JsonNode awaitCommand(HttpApi via, long seq) throws InterruptedException {
        JsonNode[] last = new JsonNode[1];
        ChildJvm.await("command #" + seq + " answered", WAIT, () -> {
            last[0] = via.call("GET", "gateways/facility/commands/" + seq, null, admin).json();
            return last[0].path("state").asText().matches("done|failed");
        });
        return last[0];
    }

    /** Paths the manager logged as sent to {@code location} by the gateway, with how many done transfers held each. */
    static Map<String, Integer> sentFiles(String location) {
        Map<String, Integer> times = new TreeMap<>();
        for (JsonNode t : a.call("GET", "transfers?actor=facility&state=done&limit=10000", null, admin).json()) {
            if (t.path("location").asText().equals(location)) {
                for (JsonNode f : a.call("GET", "transfers/" + t.path("id").asText(), null, admin).json().path("files")) {
                    times.merge(f.path("path").asText(), 1, Integer::sum);
                }
            }
        }
        return times;
    }

    static Path inbox(String rel) {
        return tmp.resolve("manager-data/storage/inbox").resolve(rel);
    }

    @Test
    @Order(1)
    void aCommandSentThroughAnotherManagerReachesTheGateway() throws Exception {
        long seq = b.expect(201, b.call("POST", "gateways/facility/commands", Map.of("kind", "pause"), admin)).path("seq").asLong();
        assertEquals("done", awaitCommand(b, seq).path("state").asText());
        ChildJvm.await("the gateway reports itself paused", WAIT,
                () -> a.call("GET", "gateways/facility", null, admin).json().path("status").path("paused").asBoolean());
    }

    @Test
    @Order(2)
    void theControlLinkSurvivesTheManagersDeathAndRunsWhatWasSentMeanwhile() throws Exception {
        managerA.kill();
        ChildJvm.await("the gateway notices", WAIT, () -> {
            try {
                return gateway.stderr().contains("control link to " + a.baseUrl() + " down");
            } catch (IOException e) {
                return false;
            }
        });
        long seq = b.expect(201, b.call("POST", "gateways/facility/commands", Map.of("kind", "resume"), admin)).path("seq").asLong();
        Thread.sleep(2000);
        assertEquals("pending", b.call("GET", "gateways/facility/commands/" + seq, null, admin).json().path("state").asText(),
                "no manager holds the gateway's link: the command waits");
        managerA = startManager("a");
        assertEquals("done", awaitCommand(b, seq).path("state").asText(), "run once the gateway reconnected");
        ChildJvm.await("the gateway reports itself running", WAIT,
                () -> !a.call("GET", "gateways/facility", null, admin).json().path("status").path("paused").asBoolean(true));
    }

    @Test
    @Order(3)
    void aGatewayKilledMidBatchSendsNothingTwice() throws Exception {
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            String rel = "f-" + i + ".bin";
            expected.put(rel, TestFiles.sha256(TestFiles.randomFile(hot.resolve(rel), 20_000, i)));
        }
        ChildJvm.await("some batches are through", WAIT, () -> TestFiles.exists(hot.resolve(".skyhaul-done")) && count(hot.resolve(".skyhaul-done")) >= 40);
        int before = count(hot.resolve(".skyhaul-done"));
        gateway.kill();
        assertTrue(before < 200, "killed before the end: " + before);
        gateway = startGateway();
        ChildJvm.await("every file arrived", WAIT, () -> expected.keySet().stream().allMatch(rel -> Files.exists(inbox("batch/" + rel))));
        ChildJvm.await("every file is in the done folder", WAIT, () -> count(hot.resolve(".skyhaul-done")) == 200);
        for (var e : expected.entrySet()) {
            assertEquals(e.getValue(), TestFiles.sha256(inbox("batch/" + e.getKey())), e.getKey());
        }
        Map<String, Integer> times = sentFiles("local://local/inbox/batch/");
        assertEquals(expected.keySet(), times.keySet());
        assertTrue(times.values().stream().allMatch(n -> n == 1), "a file was sent in two done transfers: " + times);
    }

    @Test
    @Order(4)
    void killedAgainAndAgainWhileSpoolingAndUploadingNoAcknowledgedFileIsLostOrSentTwice() throws Exception {
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        Random random = new Random(42);
        Path source = Files.createDirectories(tmp.resolve("to-spool"));
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger round = new java.util.concurrent.atomic.AtomicInteger();
        // A client hands files over without pause; the gateway is killed under it, during spooling and during uploads.
        Thread client = new Thread(() -> {
            Random sizes = new Random(7);
            for (int next = 0; !stop.get() && next < 100_000; next++) {
                try {
                    String name = "round-" + round.get() + "/file-" + next + ".bin";
                    Path f = TestFiles.randomFile(source.resolve("f-" + next + ".bin"), 10_000 + sizes.nextInt(600_000), next);
                    String sha = TestFiles.sha256(f);
                    Reply r = local.send("POST", "spool?location=" + enc("local://local/inbox/spooled/") + "&path=" + enc(name),
                            HttpRequest.BodyPublishers.ofFile(f), "application/octet-stream", localToken());
                    if (r.status() == 201) {
                        assertEquals(sha, r.json().path("sha256").asText(), "the gateway's digest of what it acknowledged");
                        acknowledged.put(name, sha);
                    }
                    Files.delete(f);
                } catch (java.io.UncheckedIOException | IOException e) {
                    sleepQuietly(100);
                }
            }
        }, "spool-client");
        client.start();
        try {
            for (int r = 0; r < KILL_ROUNDS; r++) {
                round.set(r);
                if (!gateway.process().isAlive()) {
                    gateway = startGateway();
                }
                Thread.sleep(500 + random.nextInt(2500));
                gateway.kill();
            }
        } finally {
            stop.set(true);
            client.join(60_000);
        }
        gateway = startGateway();
        assertTrue(acknowledged.size() >= KILL_ROUNDS, "files acknowledged over the rounds: " + acknowledged.size());
        ChildJvm.await("every acknowledged file arrived", Duration.ofSeconds(240),
                () -> acknowledged.keySet().stream().allMatch(n -> Files.exists(inbox("spooled/" + n))));
        for (var e : acknowledged.entrySet()) {
            assertEquals(e.getValue(), TestFiles.sha256(inbox("spooled/" + e.getKey())), e.getKey());
        }
        ChildJvm.await("the spool is empty", WAIT, () -> local.call("GET", "spool", null, tokenOrNull()).json().path("pending").size() == 0);
        Map<String, Integer> times = sentFiles("local://local/inbox/spooled/");
        List<String> twice = new ArrayList<>();
        times.forEach((n, k) -> {
            if (k != 1) {
                twice.add(n + " x" + k);
            }
        });
        assertEquals(List.of(), twice, "each acknowledged file in exactly one done transfer");
        assertTrue(times.keySet().containsAll(acknowledged.keySet()));
        Map<String, Integer> outcomes = new TreeMap<>();
        for (JsonNode t : a.call("GET", "transfers?actor=facility&limit=10000", null, admin).json()) {
            if (t.path("location").asText().equals("local://local/inbox/spooled/")) {
                outcomes.merge(t.path("state").asText(), 1, Integer::sum);
            }
        }
        System.out.printf("kill loop: %d rounds, %d files acknowledged, %d arrived, transfers by outcome %s%n", KILL_ROUNDS, acknowledged.size(),
                times.size(), outcomes);
        assertTrue(outcomes.getOrDefault("cancelled", 0) + outcomes.getOrDefault("failed", 0) > 0,
                "some kill fell during an upload (its transfer was then cancelled or failed, and the batch sent again): " + outcomes);
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String tokenOrNull() {
        try {
            return localToken();
        } catch (IOException e) {
            return null;
        }
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    static int count(Path dir) {
        try (var s = Files.walk(dir)) {
            return (int) s.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
