package io.skyhaul.storage.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.storage.StorageError;
import io.skyhaul.storage.StorageException;
import io.skyhaul.testing.TestFiles;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader of putFile fails closed at the length boundary: a file that changed size is never uploaded as something else. */
class HashingFileReaderTest {
    @TempDir
    Path tmp;

    @Test
    void hashesExactlyTheBytesRead() throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("f"), 1000, 1);
        try (HashingFileReader r = new HashingFileReader(file, 1000)) {
            ByteBuffer a = ByteBuffer.allocate(600);
            r.readFully(a);
            assertEquals(0, a.position());
            assertEquals(600, a.limit());
            r.readFully(ByteBuffer.allocate(400));
            assertArrayEquals(Digests.sha256().digest(Files.readAllBytes(file)), r.finish());
        }
    }

    @Test
    void aFileThatGrewIsRefused() throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("f"), 1001, 1);
        try (HashingFileReader r = new HashingFileReader(file, 1000)) {
            r.readFully(ByteBuffer.allocate(1000));
            StorageException e = assertThrows(StorageException.class, r::finish);
            assertEquals(StorageError.IO, e.error());
            assertTrue(e.getMessage().contains("changed while being read"), e.getMessage());
        }
    }

    @Test
    void aFileThatShrankIsRefused() throws Exception {
        Path file = TestFiles.randomFile(tmp.resolve("f"), 999, 1);
        try (HashingFileReader r = new HashingFileReader(file, 1000)) {
            StorageException e = assertThrows(StorageException.class, () -> r.readFully(ByteBuffer.allocate(1000)));
            assertTrue(e.getMessage().contains("changed while being read"), e.getMessage());
        }
    }
}
