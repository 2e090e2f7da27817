package io.skyhaul.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.testing.TestFiles;
import io.skyhaul.transport.session.TransferNode;
import io.skyhaul.transport.session.TransportSettings;
import io.skyhaul.transport.ticket.PreSharedKey;
import io.skyhaul.transport.ticket.TicketSealer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code skyhaul send} and {@code get} in-process against a node that shares their key file. */
@Timeout(30)
class CliTransferTest {
    @TempDir
    Path tmp;
    Path key;
    Path root;
    TransferNode node;
    String address;

    @BeforeEach
    void start() throws Exception {
        key = tmp.resolve("skyhaul.key");
        assertEquals(ExitCodes.OK, CliRun.of("keygen", "--out", key.toString()).exitCode());
        root = Files.createDirectory(tmp.resolve("root"));
        TicketSealer sealer = new TicketSealer(PreSharedKey.read(key), new SecureRandom(), Clock.systemUTC());
        node = TransferNode.start(new InetSocketAddress("127.0.0.1", 0), root, sealer, TransportSettings.defaults());
        address = "127.0.0.1:" + node.localAddress().getPort();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void sendWithJsonPrintsOneSummaryLine() throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("src/data.bin"), 1_234_567, 3);
        CliRun run = CliRun.of("send", "--to", address, "--key-file", key.toString(), "--json", "--max-rate", "800m", file.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        String sha = TestFiles.sha256(file);
        assertEquals(sha, TestFiles.sha256(root.resolve("data.bin")));
        assertEquals(1, run.out().strip().lines().count(), run.out());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("send", json.get("direction").asText());
        assertEquals(1, json.get("files").asLong());
        assertEquals(1_234_567, json.get("bytes").asLong());
        assertEquals(0, json.get("resumedBytes").asLong());
        assertTrue(json.get("sentBytes").asLong() >= 1_234_567, run.out());
        assertEquals(sha, json.get("sha256").asText());
        assertEquals(sha, json.get("digests").get("data.bin").asText());
    }

    @Test
    void getFetchesIntoTheDirectoryWithAHumanSummary() throws Exception {
        Path served = TestFiles.randomFile(root.resolve("out/report.bin"), 300_000, 4);
        Path dest = tmp.resolve("dest");
        CliRun run = CliRun.of("get", "--from", address, "--key-file", key.toString(), "--dir", dest.toString(), "out/report.bin");
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertEquals(TestFiles.sha256(served), TestFiles.sha256(dest.resolve("report.bin")));
        assertTrue(run.err().contains("received 1 file(s)"), run.err());
    }

    @Test
    void aRefusedGetExitsSix() throws Exception {
        Path dest = tmp.resolve("dest");
        CliRun run = CliRun.of("get", "--from", address, "--key-file", key.toString(), "--dir", dest.toString(), "../escape");
        assertEquals(ExitCodes.REFUSED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("escape"), run.err());
        assertTrue(!Files.exists(dest) || TestFiles.isEmptyDirectory(dest));
    }
}
