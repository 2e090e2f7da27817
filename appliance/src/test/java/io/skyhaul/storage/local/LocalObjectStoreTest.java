package io.skyhaul.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.storage.LocalAccount;
import io.skyhaul.storage.ObjectInfo;
import io.skyhaul.storage.ObjectStore;
import io.skyhaul.storage.ObjectStoreContract;
import io.skyhaul.storage.ObjectStores;
import io.skyhaul.storage.ObjectUpload;
import io.skyhaul.storage.Overwrite;
import io.skyhaul.storage.StorageAccount;
import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.storage.StoreSettings;
import io.skyhaul.storage.UploadOptions;
import io.skyhaul.testing.TestFiles;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract on the local filesystem, plus what only the local backend promises. */
@Timeout(60)
class LocalObjectStoreTest extends ObjectStoreContract {
    private Path root;

    @Override
    protected String createBucket() throws Exception {
        root = tmp.resolve("root");
        Files.createDirectories(root.resolve("bucket"));
        return "bucket";
    }

    @Override
    protected StorageAccount account() {
        return new LocalAccount(root);
    }

    private Path objectPath(String key) {
        return root.resolve(bucket).resolve(key);
    }

    @Override
    protected Optional<String> serverSha256(String key) throws Exception {
        Path p = objectPath(key);
        return Files.isRegularFile(p) ? Optional.of(TestFiles.sha256(p)) : Optional.empty();
    }

    @Override
    protected Optional<String> serverMetadataSha256(String key) throws Exception {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(objectPath(key), UserDefinedFileAttributeView.class);
        if (!view.list().contains("skyhaul.sha256")) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.allocate(view.size("skyhaul.sha256"));
        view.read("skyhaul.sha256", b);
        return Optional.of(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII));
    }

    @Override
    protected void assertNothingLeftOf(String key) throws Exception {
        assertFalse(Files.exists(objectPath(key)), key + " must not exist");
        assertEquals(List.of(), tempFiles(), "no temp file left behind");
    }

    private List<Path> tempFiles() throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName().toString().startsWith(".skyhaul-")).toList();
        }
    }

    @Test
    void noHalfWrittenFileIsEverVisibleUnderItsName() throws Exception {
        byte[] data = randomBytes((int) (3 * PART), 41);
        ObjectUpload upload = store.beginUpload("vis/file.bin", data.length, UploadOptions.defaults());
        upload.uploadPart(2, slice(data, upload, 2));
        upload.uploadPart(1, slice(data, upload, 1));
        upload.uploadPart(3, slice(data, upload, 3));
        assertFalse(Files.exists(objectPath("vis/file.bin")), "not under its name before complete()");
        assertEquals(List.of(), store.list(""), "not listed before complete()");
        List<Path> temps = tempFiles();
        assertEquals(1, temps.size());
        assertTrue(temps.get(0).getFileName().toString().startsWith("."), "the temp file is hidden");
        upload.complete(sha256(data));
        assertEquals(data.length, Files.size(objectPath("vis/file.bin")));
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void aWatcherSeesNothingOrTheWholeFileDuringPutFile() throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("w.bin"), 8 * PART, 42);
        String sha = TestFiles.sha256(file);
        Path target = objectPath("watched/file.bin");
        AtomicBoolean done = new AtomicBoolean();
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                try {
                    if (Files.exists(target)) {
                        seen.add(Files.size(target) + ":" + TestFiles.sha256(target));
                    }
                } catch (Exception e) {
                    seen.add("error " + e);
                }
            }
        });
        watcher.start();
        try {
            store.putFile("watched/file.bin", file, hex(sha), UploadOptions.defaults().withParallelism(2), null);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            done.set(true);
            watcher.join();
        }
        assertFalse(seen.isEmpty(), "the watcher saw the published file");
        for (String s : seen) {
            assertEquals(8 * PART + ":" + sha, s, "only the whole file is ever visible");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {".skyhaul-0123456789abcdef.part", "d/.skyhaul-0123456789abcdef.part"})
    void tempFileNamesAreReserved(String key) {
        assertEquals(StorageError.INVALID_KEY, assertThrows(StorageException.class, () -> store.beginUpload(key, 1, UploadOptions.defaults())).error());
    }

    @Test
    void aSymbolicLinkOutOfTheBucketIsNeverFollowed() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "not yours");
        Files.createSymbolicLink(root.resolve(bucket).resolve("escape"), outside);
        Path file = TestFiles.randomFile(tmp.resolve("x.bin"), 10, 1);

        assertEquals(StorageError.INVALID_KEY,
                assertThrows(StorageException.class, () -> store.putFile("escape/planted.bin", file, null, UploadOptions.defaults(), null)).error());
        assertFalse(Files.exists(outside.resolve("planted.bin")));
        assertEquals(StorageError.INVALID_KEY,
                assertThrows(StorageException.class, () -> store.download("escape/secret.txt", tmp.resolve("stolen"), null)).error());
        assertEquals(List.of(), store.list(""), "links are not listed");
    }

    @Test
    void aKeyWhoseParentIsAFileIsAnIoErrorNotAnEscape() throws Exception {
        store.putFile("plain", TestFiles.randomFile(tmp.resolve("p.bin"), 5, 1), null, UploadOptions.defaults(), null);
        StorageException e = assertThrows(StorageException.class, () -> store.beginUpload("plain/child", 5, UploadOptions.defaults()));
        assertEquals(StorageError.IO, e.error());
    }

    @Test
    void theBucketDirectoryMustExistUnlessAskedToCreateIt() throws Exception {
        LocalAccount account = new LocalAccount(root);
        try (ObjectStore missing = ObjectStores.open(account, "absent", StoreSettings.defaults())) {
            assertEquals(StorageError.BUCKET_NOT_FOUND, assertThrows(StorageException.class, missing::testConnection).error());
        }
        assertFalse(Files.exists(root.resolve("absent")));
        try (ObjectStore created = ObjectStores.open(account, "absent", StoreSettings.defaults().withCreateLocalBucket(true))) {
            created.testConnection();
        }
        assertTrue(Files.isDirectory(root.resolve("absent")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a/b", ".hidden", ""})
    void bucketNamesAreOneVisibleDirectory(String name) {
        assertEquals(StorageError.INVALID_KEY, assertThrows(StorageException.class, () -> ObjectStores.open(new LocalAccount(root), name)).error());
    }

    @Test
    void ifDifferentComputesTheDigestOfAFileWrittenByAnotherTool() throws Exception {
        Path plain = objectPath("foreign/file.bin");
        Files.createDirectories(plain.getParent());
        Files.write(plain, "written by someone else".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(plain, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000L));
        assertNull(store.stat("foreign/file.bin").orElseThrow().sha256Hex(), "no attribute: stat does not hash the file");

        byte[] same = Files.readAllBytes(plain);
        ObjectUpload upload = store.beginUpload("foreign/file.bin", same.length, UploadOptions.defaults().withOverwrite(Overwrite.IF_DIFFERENT));
        upload.uploadPart(1, ByteBuffer.wrap(same));
        ObjectInfo kept = upload.complete(sha256(same));
        assertEquals(1_000_000_000L, kept.lastModified().toEpochMilli(), "identical: the file was left alone");
        assertEquals(List.of(), tempFiles());
    }
}
