package io.skyhaul.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.transport.session.TransferError;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exit statuses of {@code skyhaul}: 0 done, 2 bad usage, 3 key file, 4 unreachable, 5 local I/O, 6 refused. */
@Timeout(30)
class SkyhaulCliTest {
    @TempDir
    Path tmp;
    Path key;
    Path file;

    @BeforeEach
    void keyAndFile() throws Exception {
        key = tmp.resolve("skyhaul.key");
        CliRun keygen = CliRun.of("keygen", "--out", key.toString());
        assertEquals(ExitCodes.OK, keygen.exitCode(), keygen.toString());
        file = Files.writeString(tmp.resolve("f.txt"), "hello");
    }

    private static void assertExit(int expected, CliRun run, String inStderr) {
        assertEquals(expected, run.exitCode(), run.toString());
        assertTrue(run.err().contains(inStderr), () -> "stderr should mention '" + inStderr + "':\n" + run);
        assertFalse(run.err().contains("\tat "), () -> "no stack trace for the user:\n" + run);
    }

    @Test
    void helpAndVersionExitZero() {
        CliRun help = CliRun.of("--help");
        assertEquals(ExitCodes.OK, help.exitCode(), help.toString());
        assertTrue(help.out().contains("receive") && help.out().contains("Exit status"), help.out());
        CliRun sendHelp = CliRun.of("send", "--help");
        assertEquals(ExitCodes.OK, sendHelp.exitCode());
        assertTrue(sendHelp.out().contains("--max-rate"), sendHelp.out());
        CliRun version = CliRun.of("--version");
        assertEquals(ExitCodes.OK, version.exitCode(), version.toString());
        assertTrue(version.out().startsWith("skyhaul "), version.out());
    }

    @Test
    void noCommandIsBadUsage() {
        assertExit(ExitCodes.USAGE, CliRun.of(), "name a command");
    }

    @Test
    void anUnknownCommandOrOptionIsBadUsage() {
        assertExit(ExitCodes.USAGE, CliRun.of("fly"), "Unmatched argument");
        assertExit(ExitCodes.USAGE, CliRun.of("send", "--to", "127.0.0.1:9", "--key-file", key.toString(), "--warp", file.toString()), "--warp");
    }

    @Test
    void aMissingRequiredOptionIsBadUsage() {
        assertExit(ExitCodes.USAGE, CliRun.of("send", "--key-file", key.toString(), file.toString()), "--to");
        assertExit(ExitCodes.USAGE, CliRun.of("send", "--to", "127.0.0.1:9", file.toString()), "--key-file");
        assertExit(ExitCodes.USAGE, CliRun.of("send", "--to", "127.0.0.1:9", "--key-file", key.toString()), "PATH");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", "10", "63k", "-5m", "1e400", "", "m"})
    void aBadMaxRateIsBadUsage(String rate) {
        assertExit(ExitCodes.USAGE, CliRun.of("send", "--to", "127.0.0.1:9", "--key-file", key.toString(), "--max-rate", rate, file.toString()),
                "--max-rate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:", ":9000", "127.0.0.1:99999", "127.0.0.1:port", "no-such-host.invalid:9000"})
    void aBadAddressIsBadUsage(String address) {
        assertExit(ExitCodes.USAGE, CliRun.of("send", "--to", address, "--key-file", key.toString(), file.toString()), "--to");
    }

    @Test
    void badTimeoutPolicyAndDatagramSizeAreBadUsage() {
        String[] base = {"send", "--to", "127.0.0.1:9", "--key-file", key.toString()};
        assertExit(ExitCodes.USAGE, CliRun.of(concat(base, "--timeout", "0s", file.toString())), "--timeout");
        assertExit(ExitCodes.USAGE, CliRun.of(concat(base, "--timeout", "soon", file.toString())), "--timeout");
        assertExit(ExitCodes.USAGE, CliRun.of(concat(base, "--policy", "fast", file.toString())), "fair");
        assertExit(ExitCodes.USAGE, CliRun.of(concat(base, "--datagram-size", "100", file.toString())), "between 1200 and 9000");
        assertExit(ExitCodes.USAGE, CliRun.of(concat(base, "--datagram-size", "big", file.toString())), "--datagram-size");
    }

    @Test
    void aMissingKeyFileIsAKeyProblem() {
        Path absent = tmp.resolve("absent.key");
        assertExit(ExitCodes.KEY_PROBLEM, CliRun.of("send", "--to", "127.0.0.1:9", "--key-file", absent.toString(), file.toString()),
                "does not exist");
        assertExit(ExitCodes.KEY_PROBLEM, CliRun.of("receive", "--listen", "127.0.0.1:0", "--dir", tmp.resolve("rx").toString(),
                "--key-file", absent.toString()), "skyhaul keygen");
    }

    @Test
    void aMalformedKeyFileIsAKeyProblem() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.key"), "not a key");
        assertExit(ExitCodes.KEY_PROBLEM, CliRun.of("get", "--from", "127.0.0.1:9", "--dir", tmp.toString(), "--key-file", bad.toString(), "x"),
                "64 hex characters");
    }

    @Test
    void keygenWritesMode0600AndRefusesToOverwrite() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String before = Files.readString(key);
        assertExit(ExitCodes.KEY_PROBLEM, CliRun.of("keygen", "--out", key.toString()), "already exists");
        assertEquals(before, Files.readString(key));
    }

    @Test
    void receiveOnABusyPortIsALocalError() throws Exception {
        try (DatagramSocket busy = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            String listen = "127.0.0.1:" + busy.getLocalPort();
            assertExit(ExitCodes.LOCAL_IO, CliRun.of("receive", "--listen", listen, "--dir", tmp.resolve("rx").toString(), "--key-file",
                    key.toString()), "cannot listen");
        }
    }

    @Test
    void sendingAMissingFileIsRefused() {
        CliRun run = CliRun.of("send", "--to", "127.0.0.1:9", "--key-file", key.toString(), tmp.resolve("absent.bin").toString());
        assertExit(TransferError.NOT_FOUND.exitCode(), run, "absent.bin");
    }

    /** Takes the default 10 s handshake timeout: the CLI has no option to shorten it. */
    @Test
    void sendToAPortWithNoReceiverIsUnreachable() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = probe.getLocalPort();
        }
        assertExit(ExitCodes.UNREACHABLE, CliRun.of("send", "--to", "127.0.0.1:" + port, "--key-file", key.toString(), file.toString()),
                String.valueOf(port));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
