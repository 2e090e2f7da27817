package io.skyhaul.linkem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.linkem.LoopbackPeers.Echo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(30)
class LinkemMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final LinkemMain main = new LinkemMain(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "udp --listen 127.0.0.1:0 --to 127.0.0.1:9 --loss 150%|linkem: --loss: must be between 0 and 1",
        "udp --listen 127.0.0.1:0 --to 127.0.0.1:9 --rate fast|linkem: --rate: expected a rate in bit/s",
        "udp --listen 127.0.0.1:0|linkem: --to: required",
        "udp --listen 127.0.0.1 --to 127.0.0.1:9|linkem: --listen: expected HOST:PORT",
        "udp --listen 127.0.0.1:0 --to 127.0.0.1:0|linkem: --to: port out of range",
        "udp --listen 127.0.0.1:0 --to 127.0.0.1:9 --stats-interval often|linkem: --stats-interval: expected a duration",
        "udp --listen 127.0.0.1:0 --to 127.0.0.1:9 --netem 1|linkem: --netem: unknown option",
        "tun --ns-a a --ns-b b --addr-a 10.0.0.1 --addr-b 198.18.0.2|linkem: --addr-a: 10.0.0.1 is outside 198.18.0.0/15",
        "tun --ns-a a --ns-b a --addr-a 198.18.0.1 --addr-b 198.18.0.2|linkem: --ns-b: must differ from --ns-a",
        "tun --ns-a a/b --ns-b b --addr-a 198.18.0.1 --addr-b 198.18.0.2|linkem: --ns-a: invalid name",
        "tun --ns-a a --ns-b b --addr-a 198.18.0.1 --addr-b 198.18.0.2 --dev-a waytoolongdevicename|linkem: --dev-a: invalid name",
        "tun-cleanup --ns-a a|linkem: --ns-b: required",
        "frobnicate|linkem: unknown subcommand 'frobnicate'",
        "|linkem: missing subcommand",
    })
    void badCommandLinesExitWithCode2AndNameTheProblem(String commandLine, String expectedStart) {
        String[] args = commandLine == null ? new String[0] : commandLine.split(" ");
        assertEquals(LinkemMain.EXIT_USAGE, main.run(args));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith(expectedStart), message);
        assertEquals(1, message.lines().count(), "one line: " + message);
    }

    @Test
    void helpDocumentsEveryFlag() {
        assertEquals(LinkemMain.EXIT_OK, main.run(new String[] {"--help"}));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String flag : LinkProfileParser.FLAG_NAMES) {
            assertTrue(help.contains(flag + " "), "help lacks " + flag);
        }
        for (String flag : new String[] {"--listen", "--to", "--ns-a", "--addr-b", "--stats-interval", "tun-cleanup"}) {
            assertTrue(help.contains(flag), "help lacks " + flag);
        }
        out.reset();
        assertEquals(LinkemMain.EXIT_OK, main.run(new String[] {"udp", "--help"}));
        assertEquals(help, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void udpModeRelaysPrintsReadyAndStatsAndStopsCleanly() throws Exception {
        try (Echo echo = new Echo(); DatagramChannel client = LoopbackPeers.client()) {
            String[] args = {"udp", "--listen", "127.0.0.1:0", "--to", "127.0.0.1:" + echo.address().getPort(),
                "--delay", "10ms", "--stats-interval", "100ms", "--seed", "1"};
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> main.run(args));
            InetSocketAddress relay = awaitReady();
            long start = System.nanoTime();
            client.send(LoopbackPeers.datagram(77, 100), relay);
            ByteBuffer reply = ByteBuffer.allocate(200);
            client.receive(reply);
            long rtt = System.nanoTime() - start;
            assertEquals(77, reply.getLong(0));
            assertTrue(rtt >= TimeUnit.MILLISECONDS.toNanos(20), "rtt " + rtt / 1e6 + " ms");
            Thread.sleep(250);
            main.requestStop();
            assertEquals(LinkemMain.EXIT_OK, exit.get(10, TimeUnit.SECONDS));
            String log = err.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("linkem t="), "periodic stats line: " + log);
            assertTrue(log.contains("linkem final: client->target rx=1 fwd=1"), log);
        }
    }

    @Test
    void tunCleanupWithNothingLeftIsANoOp() {
        org.junit.jupiter.api.Assumptions.assumeTrue(TunLinkTest.canCreateTunLinks(), "needs root, ip and /dev/net/tun");
        assertEquals(LinkemMain.EXIT_OK, main.run(new String[] {"tun-cleanup", "--ns-a", "lkt-none-a", "--ns-b",
            "lkt-none-b"}));
        assertEquals("nothing to remove", out.toString(StandardCharsets.UTF_8).trim());
    }

    private InetSocketAddress awaitReady() throws InterruptedException {
        Pattern ready = Pattern.compile("^ready 127\\.0\\.0\\.1:(\\d+)$", Pattern.MULTILINE);
        for (int i = 0; i < 500; i++) {
            Matcher m = ready.matcher(out.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no ready line; stdout: " + out + " stderr: " + err);
    }
}
