package io.skyhaul.transfers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.testing.AzuriteServer;
import io.skyhaul.testing.LogCapture;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.S3MockServer;
import io.skyhaul.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The whole data path with real parts only: API on loopback, UDP session to the node, the node
 * writing into the local filesystem, S3Mock and Azurite; every object read back through the
 * storage server's own API and compared byte for byte, then downloaded back through the node.
 */
@Timeout(180)
class EndToEndTransferTest {
    @TempDir
    static Path tmp;
    static RunningAppliance appliance;
    static LogCapture log;
    static Path tree;
    static Map<String, String> treeDigests;

    @BeforeAll
    static void start() throws Exception {
        log = new LogCapture();
        appliance = RunningAppliance.start(tmp.resolve("data"));
        tree = tmp.resolve("src/tree");
        Files.createDirectories(tree);
        Files.createFile(tree.resolve("empty.bin"));
        TestFiles.randomFile(tree.resolve("camera-a.mov"), (3 << 20) + 17, 1);
        TestFiles.randomFile(tree.resolve("sub/deeper/notes.txt"), 4_321, 2);
        TestFiles.randomFile(tree.resolve("sub/clip.mxf"), 200_000, 3);
        treeDigests = new TreeMap<>();
        for (var e : TestFiles.snapshot(tree).entrySet()) {
            if (!e.getValue().equals("dir")) {
                treeDigests.put("tree/" + e.getKey(), e.getValue());
            }
        }
    }

    @AfterAll
    static void stop() {
        appliance.close();
        List<String> problems = log.problems();
        log.close();
        assertEquals(List.of(), problems, "no ERROR in the server log");
    }

    @Test
    void aTreeGoesIntoTheLocalTargetAndComesBackIdentical() throws Exception {
        String token = appliance.adminToken();
        RunningAppliance.Moved up = appliance.upload(token, List.of(tree), "local://local/inbox/p/");
        Path stored = appliance.localBucket("inbox").resolve("p");
        assertEquals(treeDigests, digestsUnder(stored, "tree"), "objects in the local bucket");
        checkLog(up, token, "local://local/inbox/p/", "upload");

        Path restore = tmp.resolve("restore-local");
        RunningAppliance.Moved down = appliance.download(token, "local://local/inbox/p/", restore);
        TestFiles.assertSameTree(tree, restore.resolve("tree"));
        checkLog(down, token, "local://local/inbox/p/", "download");
    }

    @Test
    void aTreeGoesIntoS3AndComesBackIdentical() throws Exception {
        S3MockServer s3 = S3MockServer.shared();
        String bucket = s3.createBucket(S3MockServer.uniqueBucketName("e2e"));
        appliance.createS3Account("s3mock", s3);
        String token = appliance.adminToken();
        String location = "s3://s3mock/" + bucket + "/projects/p1/";
        RunningAppliance.Moved up = appliance.upload(token, List.of(tree), location);
        for (var e : treeDigests.entrySet()) {
            String key = "projects/p1/" + e.getKey();
            byte[] bytes = s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            assertEquals(e.getValue(), sha256(bytes), key + " as S3 serves it");
            HeadObjectResponse head = s3.client().headObject(b -> b.bucket(bucket).key(key));
            assertEquals(e.getValue(), head.metadata().get("sha256"), key + " carries its SHA-256");
        }
        assertEquals(treeDigests.size(), s3.client().listObjectsV2(b -> b.bucket(bucket)).contents().size(), "nothing else in the bucket");
        checkLog(up, token, location, "upload");

        Path restore = tmp.resolve("restore-s3");
        appliance.download(token, location, restore);
        TestFiles.assertSameTree(tree, restore.resolve("tree"));
    }

    @Test
    void aTreeGoesIntoAzureAndComesBackIdentical() throws Exception {
        AzuriteServer azure = AzuriteServer.shared();
        String container = azure.createContainer(AzuriteServer.uniqueContainerName("e2e"));
        appliance.createAzureAccount("azurite", azure);
        String token = appliance.adminToken();
        String location = "azure://azurite/" + container + "/in/";
        RunningAppliance.Moved up = appliance.upload(token, List.of(tree), location);
        for (var e : treeDigests.entrySet()) {
            String key = "in/" + e.getKey();
            byte[] bytes = azure.container(container).getBlobClient(key).downloadContent().toBytes();
            assertEquals(e.getValue(), sha256(bytes), key + " as Azurite serves it");
        }
        assertEquals(treeDigests.size(), azure.container(container).listBlobs().stream().count(), "nothing else in the container");
        checkLog(up, token, location, "upload");

        Path restore = tmp.resolve("restore-azure");
        appliance.download(token, location, restore);
        TestFiles.assertSameTree(tree, restore.resolve("tree"));
    }

    @Test
    void aThousandSmallFilesInOneTransfer() throws Exception {
        Path many = tmp.resolve("src/many");
        for (int i = 0; i < 1000; i++) {
            TestFiles.randomFile(many.resolve("d" + (i % 10) + "/f" + i + ".bin"), 100 + i, 1000 + i);
        }
        RunningAppliance.Moved up = appliance.upload(appliance.adminToken(), List.of(many), "local://local/inbox/many/");
        assertEquals(1000, up.transfer().path("files").asLong());
        assertEquals(1000, up.detail().path("files").size());
        TestFiles.assertSameTree(many, appliance.localBucket("inbox").resolve("many/many"));
    }

    @Test
    void aLargeFileIntoS3() throws Exception {
        S3MockServer s3 = S3MockServer.shared();
        String bucket = s3.createBucket(S3MockServer.uniqueBucketName("large"));
        String account = "s3large";
        appliance.createS3Account(account, s3);
        long size = 64L << 20;
        Path big = TestFiles.randomFile(tmp.resolve("src/large/master.mov"), size, 42);
        String sha = TestFiles.sha256(big);
        RunningAppliance.Moved up = appliance.upload(appliance.adminToken(), List.of(big), "s3://" + account + "/" + bucket + "/masters/");
        assertEquals(size, up.transfer().path("bytesTotal").asLong());
        HeadObjectResponse head = s3.client().headObject(b -> b.bucket(bucket).key("masters/master.mov"));
        assertEquals(size, head.contentLength());
        assertEquals(sha, head.metadata().get("sha256"));
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = s3.client().getObject(b -> b.bucket(bucket).key("masters/master.mov"))) {
            in.transferTo(new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), digest));
        }
        assertEquals(sha, HexFormat.of().formatHex(digest.digest()), "the object's bytes as S3 serves them");
        assertTrue(s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty(), "no multipart upload left open");
    }

    /** The transfer as the log and GET /transfers/{id} show it. */
    private static void checkLog(RunningAppliance.Moved moved, String token, String location, String direction) {
        JsonNode t = moved.transfer();
        assertEquals("done", t.path("state").asText(), t.toString());
        assertEquals(direction, t.path("direction").asText());
        assertEquals(location, t.path("location").asText());
        assertEquals(treeDigests.size(), t.path("files").asLong());
        long bytes = treeBytes();
        assertEquals(bytes, t.path("bytesTotal").asLong());
        assertEquals(bytes, t.path("bytesDone").asLong());
        assertTrue(t.path("goodputMbps").asDouble() > 0, t.toString());
        assertEquals("local", t.path("nodeName").asText());
        assertEquals("admin", t.path("actorName").asText());
        assertTrue(t.hasNonNull("startedAt") && t.hasNonNull("finishedAt"), t.toString());
        assertFalse(t.has("error"), t.toString());

        Map<String, String> fileDigests = new TreeMap<>();
        for (JsonNode f : moved.detail().path("files")) {
            fileDigests.put(f.path("path").asText(), f.path("sha256").asText());
        }
        assertEquals(treeDigests, fileDigests, "GET /transfers/{id} lists every file with its SHA-256");

        JsonNode listed = appliance.expect(200, appliance.get("transfers?direction=" + direction + "&limit=1000", token));
        JsonNode row = null;
        for (JsonNode r : listed) {
            if (r.path("id").asText().equals(moved.id())) {
                row = r;
            }
        }
        assertTrue(row != null, "the transfer log lists " + moved.id());
        assertEquals("done", row.path("state").asText());
        assertEquals(bytes, row.path("bytesTotal").asLong());
        assertEquals(t.path("goodputMbps").asDouble(), row.path("goodputMbps").asDouble());
    }

    private static long treeBytes() {
        try {
            long total = 0;
            try (var walk = Files.walk(tree)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    total += Files.size(p);
                }
            }
            return total;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** SHA-256 of every file under {@code dir/top}, keyed "top/relative/path". */
    private static Map<String, String> digestsUnder(Path dir, String top) throws Exception {
        Map<String, String> out = new TreeMap<>();
        Function<String, String> key = k -> top + "/" + k;
        for (var e : TestFiles.snapshot(dir.resolve(top)).entrySet()) {
            if (!e.getValue().equals("dir")) {
                out.put(key.apply(e.getKey()), e.getValue());
            }
        }
        return out;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
