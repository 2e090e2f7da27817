package io.skyhaul.storage.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import io.skyhaul.storage.AzureAccount;
import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.ObjectStoreContract;
import io.skyhaul.storage.ObjectStores;
import io.skyhaul.storage.ObjectUpload;
import io.skyhaul.storage.StorageAccount;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.StoreSettings;
import io.skyhaul.storage.UploadOptions;
import io.skyhaul.storage.engine.Digests;
import io.skyhaul.testing.AzuriteServer;
import io.skyhaul.testing.ListeningSockets;
import io.skyhaul.testing.TestFiles;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contract on Azurite (started once per test JVM on 127.0.0.1), plus Azure's own: key, connection string and SAS. */
@Timeout(120)
class AzureObjectStoreTest extends ObjectStoreContract {
    private static AzuriteServer server() {
        return AzuriteServer.shared();
    }

    private BlobContainerClient container() {
        return server().container(bucket);
    }

    @Override
    protected String createBucket() {
        return server().createContainer(AzuriteServer.uniqueContainerName("storage-test"));
    }

    @Override
    protected StorageAccount account() {
        return server().account();
    }

    @Override
    protected Optional<String> serverSha256(String key) throws Exception {
        var blob = container().getBlobClient(key);
        if (!blob.exists()) {
            return Optional.empty();
        }
        MessageDigest sha = Digests.sha256();
        try (InputStream in = blob.openInputStream()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return Optional.of(HexFormat.of().formatHex(sha.digest()));
    }

    @Override
    protected Optional<String> serverMetadataSha256(String key) {
        return Optional.ofNullable(container().getBlobClient(key).getProperties().getMetadata().get("sha256"));
    }

    /** Uncommitted blocks are not removable through the API (Azure drops them after a week): what counts is that no blob is visible. */
    @Override
    protected void assertNothingLeftOf(String key) throws Exception {
        assertFalse(container().getBlobClient(key).exists(), key + " must not exist");
        assertTrue(container().listBlobs().stream().noneMatch(b -> b.getName().equals(key)), key + " must not be listed");
    }

    @Test
    void blocksCarryTheirMd5AndStayUncommittedUntilComplete() throws Exception {
        byte[] data = randomBytes((int) (2 * PART + 9), 61);
        ObjectUpload upload = store.beginUpload("blocks/md5.bin", data.length, UploadOptions.defaults());
        upload.uploadPart(2, slice(data, upload, 2));
        upload.uploadPart(1, slice(data, upload, 1));
        upload.uploadPart(3, slice(data, upload, 3));
        List<BlobItem> uncommitted = container().listBlobs(new ListBlobsOptions().setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true)), null)
                .stream().toList();
        assertEquals(List.of("blocks/md5.bin"), uncommitted.stream().map(BlobItem::getName).toList(), "staged, not committed");
        assertFalse(container().getBlobClient("blocks/md5.bin").exists());
        assertEquals(3, container().getBlobClient("blocks/md5.bin").getBlockBlobClient()
                .listBlocks(com.azure.storage.blob.models.BlockListType.UNCOMMITTED).getUncommittedBlocks().size());
        upload.complete(sha256(data));
        assertEquals(Optional.of(Digests.hex(sha256(data))), serverSha256("blocks/md5.bin"));
    }

    @Test
    void aBlockWhoseBytesDoNotMatchItsMd5IsRefusedByTheServer() throws Exception {
        // Through the SDK directly: our upload always sends the right MD5, so show that the server checks it.
        var blob = container().getBlobClient("blocks/bad-md5.bin").getBlockBlobClient();
        byte[] data = randomBytes(100, 62);
        String id = Base64.getEncoder().encodeToString("block-000001".getBytes());
        var e = assertThrows(com.azure.storage.blob.models.BlobStorageException.class, () -> blob.stageBlockWithResponse(
                new com.azure.storage.blob.options.BlockBlobStageBlockOptions(id, com.azure.core.util.BinaryData.fromBytes(data)).setContentMd5(new byte[16]),
                null, com.azure.core.util.Context.NONE));
        StorageException mapped = new AzureErrors("test", "account key", bucket).map(e, "staging", "blocks/bad-md5.bin");
        assertEquals(StorageError.INTEGRITY, mapped.error(), mapped.getMessage());
    }

    @Test
    void aWrongAccountKeyIsAuthFailedWithoutTheKey() throws Exception {
        String wrongKey = Base64.getEncoder().encodeToString("this is not the account key at all!".getBytes());
        AzureAccount wrong = AzureAccount.withKey(AzuriteServer.ACCOUNT, wrongKey, server().endpoint());
        try (ObjectStore s = ObjectStores.open(wrong, bucket, settings())) {
            StorageException e = assertThrows(StorageException.class, s::testConnection);
            assertEquals(StorageError.AUTH_FAILED, e.error());
            assertTrue(e.getMessage().contains("refused the credentials") && e.getMessage().contains("check the account key"), e.getMessage());
            assertFalse(e.getMessage().contains(wrongKey), e.getMessage());
            Path file = TestFiles.randomFile(tmp.resolve("a.bin"), 10, 1);
            assertEquals(StorageError.AUTH_FAILED, assertThrows(StorageException.class, () -> s.putFile("a", file, null, UploadOptions.defaults(), null)).error());
        }
    }

    @Test
    void aConnectionStringWorks() throws Exception {
        try (ObjectStore s = ObjectStores.open(AzureAccount.withConnectionString(server().connectionString()), bucket, settings())) {
            s.testConnection();
            Path file = TestFiles.randomFile(tmp.resolve("cs.bin"), PART + 1, 3);
            s.putFile("cs/file.bin", file, null, UploadOptions.defaults(), null);
            assertEquals(Optional.of(TestFiles.sha256(file)), serverSha256("cs/file.bin"));
        }
    }

    @Test
    void aSasTokenWorksAndAnExpiredOneIsAuthFailed() throws Exception {
        String sas = container().generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1), BlobContainerSasPermission.parse("racwdl")));
        try (ObjectStore s = ObjectStores.open(AzureAccount.withSas(AzuriteServer.ACCOUNT, sas, server().endpoint()), bucket, settings())) {
            s.testConnection();
            Path file = TestFiles.randomFile(tmp.resolve("sas.bin"), 2 * PART, 4);
            s.putFile("sas/file.bin", file, null, UploadOptions.defaults(), null);
            assertEquals(Optional.of(TestFiles.sha256(file)), serverSha256("sas/file.bin"));
            ObjectInfo back = s.download("sas/file.bin", tmp.resolve("sas.out"), null);
            assertEquals(TestFiles.sha256(file), back.sha256Hex());
        }
        String expired = container().generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().minusHours(1), BlobContainerSasPermission.parse("racwdl")));
        try (ObjectStore s = ObjectStores.open(AzureAccount.withSas(AzuriteServer.ACCOUNT, expired, server().endpoint()), bucket, settings())) {
            StorageException e = assertThrows(StorageException.class, s::testConnection);
            assertEquals(StorageError.AUTH_FAILED, e.error());
            assertTrue(e.getMessage().contains("SAS token"), e.getMessage());
            assertFalse(e.getMessage().contains("sig="), e.getMessage());
        }
    }

    @Test
    void anUnreachableServerIsUnreachableNamingTheEndpoint() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/" + AzuriteServer.ACCOUNT);
        StoreSettings quick = settings().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).withMaxAttempts(2);
        try (ObjectStore s = ObjectStores.open(AzureAccount.withKey(AzuriteServer.ACCOUNT, AzuriteServer.ACCOUNT_KEY, nowhere), bucket, quick)) {
            StorageException e = assertThrows(StorageException.class, s::testConnection);
            assertEquals(StorageError.UNREACHABLE, e.error());
            assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
        }
    }

    @Test
    void azuriteListensOnLoopbackOnly() throws Exception {
        var listening = ListeningSockets.ofPorts(List.of(server().port()));
        assertEquals(1, listening.size(), listening.toString());
        assertTrue(listening.get(0).address().isLoopbackAddress(), listening.toString());
    }
}
