package io.skyhaul.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.ObjectStoreContract;
import io.skyhaul.storage.ObjectStores;
import io.skyhaul.storage.ObjectUpload;
import io.skyhaul.storage.S3Account;
import io.skyhaul.storage.StorageAccount;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.StoreSettings;
import io.skyhaul.storage.UploadOptions;
import io.skyhaul.storage.engine.Digests;
import io.skyhaul.testing.S3MockServer;
import io.skyhaul.testing.TestFiles;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The contract on Adobe S3Mock (started once per test JVM on 127.0.0.1), plus what is S3's own. */
@Timeout(120)
class S3ObjectStoreTest extends ObjectStoreContract {
    private static S3MockServer server() {
        return S3MockServer.shared();
    }

    private static S3Client s3() {
        return server().client();
    }

    @Override
    protected String createBucket() {
        return server().createBucket(S3MockServer.uniqueBucketName("storage-test"));
    }

    @Override
    protected StorageAccount account() {
        return server().account();
    }

    @Override
    protected Optional<String> serverSha256(String key) throws Exception {
        try (ResponseInputStream<GetObjectResponse> in = s3().getObject(b -> b.bucket(bucket).key(key))) {
            MessageDigest sha = Digests.sha256();
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return Optional.of(HexFormat.of().formatHex(sha.digest()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    protected Optional<String> serverMetadataSha256(String key) {
        return Optional.ofNullable(s3().headObject(b -> b.bucket(bucket).key(key)).metadata().get("sha256"));
    }

    /**
     * S3Mock 5.2.0 deletes the object stored under a key when a multipart upload of that key is
     * aborted (AWS S3 does not; see {@link #s3MockAbortDeletesTheObjectUnderTheKey}).
     */
    @Override
    protected boolean abortSparesAnotherWritersObject() {
        return false;
    }

    @Override
    protected void assertNothingLeftOf(String key) throws Exception {
        assertEquals(Optional.empty(), serverSha256(key), key + " must not be visible");
        assertEquals(List.of(), s3().listMultipartUploads(b -> b.bucket(bucket)).uploads(), "no multipart upload may be left");
    }

    @Test
    void listingCrossesTheThousandKeyPageBoundary() throws Exception {
        int count = 1_050;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = String.format("many/%05d.txt", i);
                puts.add(pool.submit(() -> s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key))));
            }
            for (Future<?> f : puts) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        s3().putObject(b -> b.bucket(bucket).key("manx"), RequestBody.fromString("not under the prefix"));
        List<ObjectInfo> all = store.list("many/");
        assertEquals(count, all.size());
        for (int i = 0; i < count; i++) {
            assertEquals(String.format("many/%05d.txt", i), all.get(i).key());
            assertEquals(14, all.get(i).size());
        }
    }

    @Test
    void aMultipartUploadWhoseDigestIsKnownAtTheStartCarriesItFromTheStart() throws Exception {
        byte[] data = randomBytes((int) (2 * PART + 1), 51);
        ObjectUpload upload = store.beginUpload("known/at-start.bin", data.length, sha256(data), UploadOptions.defaults());
        assertEquals(1, s3().listMultipartUploads(b -> b.bucket(bucket)).uploads().size());
        for (int n = 1; n <= upload.partCount(); n++) {
            upload.uploadPart(n, slice(data, upload, n));
        }
        upload.complete(sha256(data));
        assertEquals(Optional.of(Digests.hex(sha256(data))), serverMetadataSha256("known/at-start.bin"));
        assertEquals(Optional.of(Digests.hex(sha256(data))), serverSha256("known/at-start.bin"));
    }

    @Test
    void aDigestAnnouncedAtTheStartMustMatchTheBytes() throws Exception {
        byte[] data = randomBytes((int) (2 * PART + 1), 52);
        byte[] other = sha256(new byte[] {1});
        ObjectUpload upload = store.beginUpload("known/wrong.bin", data.length, other, UploadOptions.defaults());
        for (int n = 1; n <= upload.partCount(); n++) {
            upload.uploadPart(n, slice(data, upload, n));
        }
        StorageException e = assertThrows(StorageException.class, () -> upload.complete(sha256(data)));
        assertEquals(StorageError.INTEGRITY, e.error());
        assertTrue(e.getMessage().contains("announced"), e.getMessage());
        assertNothingLeftOf("known/wrong.bin");
    }

    @Test
    void partsCarryTheirCrc32cToTheServer() throws Exception {
        byte[] data = randomBytes((int) (2 * PART), 53);
        ObjectUpload upload = store.beginUpload("crc/parts.bin", data.length, UploadOptions.defaults());
        upload.uploadPart(1, slice(data, upload, 1));
        String uploadId = s3().listMultipartUploads(b -> b.bucket(bucket)).uploads().get(0).uploadId();
        String crc = s3().listParts(b -> b.bucket(bucket).key("crc/parts.bin").uploadId(uploadId)).parts().get(0).checksumCRC32C();
        assertEquals(Digests.crc32cBase64(Digests.crc32c(slice(data, upload, 1))), crc, "the server stored the part's CRC32C");
        upload.abort();
        assertNothingLeftOf("crc/parts.bin");
    }

    @Test
    void anUnreachableServerIsUnreachableNamingTheEndpoint() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
        S3Account account = new S3Account("k", "s", "us-east-1", nowhere, true);
        StoreSettings quick = settings().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).withMaxAttempts(2);
        try (ObjectStore unreachable = ObjectStores.open(account, "bucket", quick)) {
            StorageException e = assertThrows(StorageException.class, unreachable::testConnection);
            assertEquals(StorageError.UNREACHABLE, e.error());
            assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
            assertFalse(e.getMessage().contains("\"s\""));
            Path file = TestFiles.randomFile(tmp.resolve("u.bin"), 10, 1);
            assertEquals(StorageError.UNREACHABLE,
                    assertThrows(StorageException.class, () -> unreachable.putFile("a", file, null, UploadOptions.defaults(), null)).error());
        }
    }

    /**
     * Pins the S3Mock 5.2.0 behaviour the contract works around: if a newer S3Mock fixes it, this
     * fails and the override of abortSparesAnotherWritersObject() can go.
     */
    @Test
    void s3MockAbortDeletesTheObjectUnderTheKey() {
        s3().putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("stored"));
        String id = s3().createMultipartUpload(b -> b.bucket(bucket).key("k")).uploadId();
        s3().abortMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(id));
        assertThrows(NoSuchKeyException.class, () -> s3().headObject(b -> b.bucket(bucket).key("k")));
    }

    @Test
    void s3MockListensOnLoopbackOnly() throws Exception {
        var listening = io.skyhaul.testing.ListeningSockets.ofPorts(List.of(server().httpPort(), server().httpsPort()));
        assertEquals(2, listening.size(), listening.toString());
        for (var socket : listening) {
            assertTrue(socket.address().isLoopbackAddress(), "S3Mock listens on " + socket);
        }
    }
}
