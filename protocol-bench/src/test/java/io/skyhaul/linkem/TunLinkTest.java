package io.skyhaul.linkem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TUN link for real: namespaces, devices and TCP through the emulator. Runs only as root with
 * /dev/net/tun and iproute2 present; skipped elsewhere. Uses only 198.18.0.0/15 addresses inside
 * namespaces this test creates, and removes them whatever happens.
 */
@Timeout(60)
class TunLinkTest {

    private static final Inet4Address ADDR_A = TunLinkConfig.parseAddress("a", "198.18.0.1");
    private static final Inet4Address ADDR_B = TunLinkConfig.parseAddress("b", "198.18.0.2");
    private static final int PORT = 5201;

    private TunLinkConfig config;

    static boolean canCreateTunLinks() {
        try {
            boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
            if (!root || !Files.exists(Path.of("/dev/net/tun"))) {
                return false;
            }
            IpCommand.namespaces();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @BeforeEach
    void uniqueNames() {
        assumeTrue(canCreateTunLinks(), "needs root, iproute2 and /dev/net/tun");
        String tag = String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
        config = TunLinkConfig.of("lkt" + tag + "a", "lkt" + tag + "b", ADDR_A, ADDR_B);
    }

    @Test
    void tcpCrossesTheLinkWithTheConfiguredDelayAndTheNamespacesGoAway() throws Exception {
        LinkProfile profile = LinkProfile.builder().delayMillis(20).rateBitsPerSecond(50_000_000).seed(1).build();
        int bytes = 1 << 20;
        try (TunLink link = TunLink.create(config, profile)) {
            assertTrue(IpCommand.namespaces().containsAll(List.of(config.namespaceA(), config.namespaceB())));
            ServerSocket server = NamespaceThreads.call(config.namespaceB(), () -> {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress(ADDR_B, PORT));
                return s;
            });
            CompletableFuture<Long> served = CompletableFuture.supplyAsync(() -> countAndReply(server));
            long[] timings = NamespaceThreads.call(config.namespaceA(), () -> sendThrough(bytes));
            assertEquals(bytes, served.get(30, TimeUnit.SECONDS));
            long connectMillis = TimeUnit.NANOSECONDS.toMillis(timings[0]);
            long transferMillis = TimeUnit.NANOSECONDS.toMillis(timings[1]);
            assertTrue(connectMillis >= 40, "TCP connect over 2 x 20 ms took " + connectMillis + " ms");
            assertTrue(connectMillis < 1000, "connect took " + connectMillis + " ms");
            // 1 MiB at 50 Mbit/s needs at least 168 ms on the wire.
            assertTrue(transferMillis >= 160, "transfer took only " + transferMillis + " ms");
            assertEquals(bytes, timings[2], "server's byte count as echoed back");
            LinkStats stats = link.stats();
            assertTrue(stats.forward().forwardedBytes() > bytes, stats.summary());
            assertTrue(stats.reverse().forwarded() > 0, stats.summary());
            server.close();
        }
        assertNoTrace(config);
    }

    @Test
    void failedSetUpRemovesWhatItCreated() throws Exception {
        IpCommand.run("netns", "add", config.namespaceB());
        try {
            IOException e = assertThrows(IOException.class, () -> TunLink.create(config, LinkProfile.unimpaired()));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            List<String> namespaces = IpCommand.namespaces();
            assertFalse(namespaces.contains(config.namespaceA()), "namespace A left behind");
            assertTrue(namespaces.contains(config.namespaceB()), "someone else's namespace must be left alone");
            assertFalse(IpCommand.linkExists(config.deviceA()));
        } finally {
            IpCommand.run("netns", "del", config.namespaceB());
        }
    }

    @Test
    void leftoversAreRemovedIdempotently() throws Exception {
        IpCommand.run("netns", "add", config.namespaceA());
        IpCommand.run("netns", "add", config.namespaceB());
        List<String> removed = TunLink.removeLeftovers(config.namespaceA(), config.namespaceB(), config.deviceA(),
                config.deviceB());
        assertEquals(List.of("namespace " + config.namespaceA(), "namespace " + config.namespaceB()), removed);
        assertEquals(List.of(), TunLink.removeLeftovers(config.namespaceA(), config.namespaceB(), config.deviceA(),
                config.deviceB()));
        assertNoTrace(config);
    }

    @Test
    void commandLineTunModeCleansUpOnSigterm() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                LinkemMain.class.getName(), "tun", "--ns-a", config.namespaceA(), "--ns-b", config.namespaceB(),
                "--addr-a", "198.18.0.1", "--addr-b", "198.18.0.2", "--delay", "1ms"));
        Process process = new ProcessBuilder(command).start();
        try {
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("ready", stdout.readLine(), "first stdout line");
            assertTrue(IpCommand.namespaces().containsAll(List.of(config.namespaceA(), config.namespaceB())));
            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of stderr
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "linkem did not exit after SIGTERM");
            String log = stderr.get(5, TimeUnit.SECONDS);
            assertTrue(log.contains("linkem final: a->b"), log);
            assertNoTrace(config);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            TunLink.removeLeftovers(config.namespaceA(), config.namespaceB(), config.deviceA(), config.deviceB());
        }
    }

    private static long[] sendThrough(int bytes) throws IOException {
        try (Socket socket = new Socket()) {
            long start = System.nanoTime();
            socket.connect(new InetSocketAddress(ADDR_B, PORT), 5_000);
            long connected = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < bytes; sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, bytes - sent));
            }
            socket.shutdownOutput();
            long count = new DataInputStream(socket.getInputStream()).readLong();
            long done = System.nanoTime();
            return new long[] {connected - start, done - connected, count};
        }
    }

    private static long countAndReply(ServerSocket server) {
        try (Socket socket = server.accept()) {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
            new DataOutputStream(socket.getOutputStream()).writeLong(total);
            return total;
        } catch (IOException e) {
            throw new IllegalStateException("server in namespace B failed", e);
        }
    }

    private static void assertNoTrace(TunLinkConfig config) throws IOException {
        List<String> namespaces = IpCommand.namespaces();
        assertFalse(namespaces.contains(config.namespaceA()), "namespace A left behind: " + namespaces);
        assertFalse(namespaces.contains(config.namespaceB()), "namespace B left behind: " + namespaces);
        assertFalse(IpCommand.linkExists(config.deviceA()), "device A left behind");
        assertFalse(IpCommand.linkExists(config.deviceB()), "device B left behind");
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
