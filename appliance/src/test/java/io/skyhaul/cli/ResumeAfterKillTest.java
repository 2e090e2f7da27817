package io.skyhaul.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.testing.ChildJvm;
import io.skyhaul.testing.TestFiles;
import io.skyhaul.transport.files.TransferSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume after a crash, with real processes: the sender or the receiver is killed with SIGKILL
 * mid-transfer, and running the same send again moves only what the receiver's journal does not
 * already vouch for.
 *
 * <p>The file is 48 MB rather than hundreds: at the 200 Mbit/s ceiling that is about two
 * seconds per run, and the journal records 1 MiB blocks, so it still resumes from dozens of them.
 */
@Timeout(120)
class ResumeAfterKillTest {
    private static final long SIZE = 48L << 20;
    /** Kill once the receiver's journal vouches for this many 1 MiB blocks. */
    private static final int KILL_AFTER_BLOCKS = 8;
    private static final int JOURNAL_RECORD = 16;
    private static final Pattern LISTENING = Pattern.compile("on udp 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern SENDER_SILENT = Pattern.compile("(the sender has been silent for \\d+ s)");
    private static final Duration START = Duration.ofSeconds(20);

    /** Kept when a test fails: the children's logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;
    Path key;
    Path file;
    Path rx;
    String sha;
    final List<ChildJvm> children = new ArrayList<>();

    @BeforeEach
    void prepare() throws Exception {
        key = tmp.resolve("skyhaul.key");
        assertEquals(ExitCodes.OK, CliRun.of("keygen", "--out", key.toString()).exitCode());
        file = TestFiles.randomFile(tmp.resolve("src/payload.bin"), SIZE, 20240611);
        sha = TestFiles.sha256(file);
        rx = tmp.resolve("rx");
    }

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (ChildJvm c : children) {
            c.close();
        }
    }

    private ChildJvm skyhaul(String name, String... args) throws IOException {
        ChildJvm c = ChildJvm.start(tmp, name, args);
        children.add(c);
        return c;
    }

    private ChildJvm receiver(String name, String port) throws IOException {
        return skyhaul(name, "receive", "--listen", "127.0.0.1:" + port, "--dir", rx.toString(), "--key-file", key.toString(),
                "--timeout", "3s");
    }

    private ChildJvm sender(String name, String port, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("send", "--to", "127.0.0.1:" + port, "--key-file", key.toString(), "--max-rate", "200m"));
        args.addAll(List.of(extra));
        args.add(file.toString());
        return skyhaul(name, args.toArray(String[]::new));
    }

    /** Size of the journal in the receiver's staging directory, 0 while there is none. */
    private long journalBytes() {
        Path staging = rx.resolve(TransferSink.STAGING_DIR);
        if (!Files.isDirectory(staging)) {
            return 0;
        }
        try (Stream<Path> dirs = Files.list(staging)) {
            return dirs.map(d -> d.resolve("journal")).filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private void awaitJournalAndSenderRunning(ChildJvm sender) throws InterruptedException {
        ChildJvm.await("the receiver's journal holds " + KILL_AFTER_BLOCKS + " blocks", Duration.ofSeconds(30),
                () -> journalBytes() >= KILL_AFTER_BLOCKS * JOURNAL_RECORD || !sender.process().isAlive());
        assertTrue(sender.process().isAlive(), "the first send must still be running when it is interrupted");
    }

    /** Waits until the journal has stopped growing: the receiver has verified everything that arrived. */
    private long awaitJournalSettled() throws InterruptedException {
        long[] last = {-1};
        long[] stableSince = {System.nanoTime()};
        ChildJvm.await("the journal stops growing", Duration.ofSeconds(10), () -> {
            long now = journalBytes();
            if (now != last[0]) {
                last[0] = now;
                stableSince[0] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - stableSince[0] > 500_000_000L;
        });
        return last[0];
    }

    private void assertResumedSend(ChildJvm send, ChildJvm receiver) throws Exception {
        Optional<Integer> exit = send.waitFor(Duration.ofSeconds(60));
        assertEquals(Optional.of(ExitCodes.OK), exit, () -> "second send:\n" + safeStderr(send) + "\nreceiver:\n" + safeStderr(receiver));
        JsonNode json = new ObjectMapper().readTree(send.stdout());
        assertEquals(SIZE, json.get("bytes").asLong());
        assertEquals(sha, json.get("sha256").asText());
        long resumed = json.get("resumedBytes").asLong();
        long sent = json.get("sentBytes").asLong();
        assertTrue(resumed >= KILL_AFTER_BLOCKS << 20, "resumed " + resumed + " bytes: " + json);
        assertTrue(sent < SIZE, "sent " + sent + " of " + SIZE + " bytes: " + json);
        assertTrue(sent >= SIZE - resumed, "sent at least what was missing: " + json);
        assertEquals(sha, TestFiles.sha256(rx.resolve("payload.bin")), "byte-identical after the resume");
        assertTrue(!Files.exists(rx.resolve(TransferSink.STAGING_DIR).resolve("journal")));
    }

    private static String safeStderr(ChildJvm c) {
        try {
            return c.stderr();
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void resumeAfterTheSenderIsKilled() throws Exception {
        ChildJvm receiver = receiver("receiver", "0");
        String port = receiver.awaitStderr(LISTENING, START);
        ChildJvm first = sender("send-1", port);
        awaitJournalAndSenderRunning(first);
        assertEquals(137, first.kill(), "killed by SIGKILL");
        // The receiver ends the orphaned session after its 3 s idle timeout, keeping what arrived.
        receiver.awaitStderr(SENDER_SILENT, Duration.ofSeconds(15));
        long journal = awaitJournalSettled();
        assertTrue(journal >= KILL_AFTER_BLOCKS * JOURNAL_RECORD && journal < SIZE / (1 << 20) * JOURNAL_RECORD, "journal of " + journal + " bytes");

        assertResumedSend(sender("send-2", port, "--json"), receiver);
        assertTrue(receiver.process().isAlive(), "the receiver kept running throughout");
    }

    @Test
    void resumeAfterTheReceiverIsKilled() throws Exception {
        ChildJvm receiver = receiver("receiver-1", "0");
        String port = receiver.awaitStderr(LISTENING, START);
        ChildJvm first = sender("send-1", port, "--timeout", "2s");
        awaitJournalAndSenderRunning(first);
        assertEquals(137, receiver.kill(), "killed by SIGKILL");

        Optional<Integer> firstExit = first.waitFor(Duration.ofSeconds(15));
        assertEquals(Optional.of(ExitCodes.UNREACHABLE), firstExit, () -> "the orphaned send:\n" + safeStderr(first));
        assertTrue(first.stderr().contains("silent for 2 s"), first.stderr());

        ChildJvm restarted = receiver("receiver-2", port);
        assertEquals(port, restarted.awaitStderr(LISTENING, START), "restarted on the same port");
        assertResumedSend(sender("send-2", port, "--json"), restarted);
    }
}
