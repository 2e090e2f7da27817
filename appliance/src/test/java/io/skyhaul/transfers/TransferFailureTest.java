package io.skyhaul.transfers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.S3MockServer;
import io.skyhaul.testing.TestFiles;
import io.skyhaul.transport.session.TransferException;
import io.skyhaul.transport.session.TransportSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Failures end a transfer cleanly: a clear error, nothing half-written visible, the node's spool cleaned up. */
@Timeout(120)
class TransferFailureTest {
    @TempDir
    Path tmp;

    @Test
    void aStorageFailureFailsTheTransferWithAClearErrorAndLeavesNothing() throws Exception {
        S3MockServer s3 = S3MockServer.shared();
        String absent = S3MockServer.uniqueBucketName("absent");
        try (RunningAppliance appliance = RunningAppliance.start(tmp.resolve("data"))) {
            appliance.createS3Account("s3fail", s3);
            Path dir = tmp.resolve("src/job");
            TestFiles.randomFile(dir.resolve("a.bin"), 20L << 20, 1);
            TestFiles.randomFile(dir.resolve("b.bin"), 1000, 2);
            JsonNode created = appliance.expect(201, appliance.createUpload(appliance.adminToken(), List.of(dir), "s3://s3fail/" + absent + "/in/"));
            String id = created.path("transfer").path("id").asText();
            RunningAppliance.send(created, List.of(dir), TransportSettings.defaults());
            JsonNode end = appliance.awaitFinal(id, appliance.adminToken()).path("transfer");
            assertEquals("failed", end.path("state").asText(), end.toString());
            assertTrue(end.path("error").asText().startsWith("storage: "), end.toString());
            assertTrue(end.path("error").asText().contains(absent), "the error names the bucket: " + end);
            assertFalse(Files.exists(appliance.data().resolve("node/spool/" + id)), "the spool of a failed transfer is removed");
            assertFalse(s3.client().listBuckets().buckets().stream().anyMatch(b -> b.name().equals(absent)));
            String metrics = appliance.request("GET", "/metrics", null, null).body();
            assertTrue(metrics.contains("skyhaul_storage_errors_total{error=\"bucket_not_found\"}"), metrics);
        }
    }

    @Test
    void aNodeThatGoesAwayMidTransferGivesTheClientAnErrorAndStoresNothing() throws Exception {
        Path data = tmp.resolve("data2");
        Path file = TestFiles.randomFile(tmp.resolve("src/long.bin"), 16L << 20, 3);
        RunningAppliance appliance = RunningAppliance.start(data);
        try {
            Map<String, Object> request = new java.util.LinkedHashMap<>(RunningAppliance.uploadRequest(List.of(file), "local://local/inbox/gone/"));
            request.put("maxRate", 8_000_000L);
            JsonNode created = appliance.expect(201, appliance.post("transfers", request, appliance.adminToken()));
            String id = created.path("transfer").path("id").asText();
            // 1 MB/s: the 16 MiB take long enough for the node to go away in the middle.
            TransportSettings slow = TransportSettings.defaults().withMaxRate(1_000_000).withIdleTimeout(Duration.ofSeconds(3));
            CompletableFuture<Object> client = CompletableFuture.supplyAsync(() -> {
                try {
                    return RunningAppliance.send(created, List.of(file), slow);
                } catch (TransferException e) {
                    return e;
                }
            });
            Path spool = data.resolve("node/spool/" + id);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!Files.isDirectory(spool) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.isDirectory(spool), "the session started");
            appliance.close();
            Object outcome = client.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(outcome instanceof TransferException, "the client gets an error, not " + outcome);
            assertTrue(((TransferException) outcome).getMessage().length() > 10, outcome.toString());
            Path gone = appliance.localBucket("inbox").resolve("gone");
            try (var files = Files.exists(gone) ? Files.walk(gone) : java.util.stream.Stream.<Path>empty()) {
                // Streaming may have created the directory for its hidden temporary file; no object may be left in it.
                assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "nothing visible in storage");
            }
        } finally {
            appliance.close(); // closing twice is harmless
        }
    }
}
