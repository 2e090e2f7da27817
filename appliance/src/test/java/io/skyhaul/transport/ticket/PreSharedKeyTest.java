package io.skyhaul.transport.ticket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files: each way one can be wrong gives a message that says what and how to fix it. */
class PreSharedKeyTest {
    @TempDir
    Path dir;

    @Test
    void aWrittenKeyReadsBackWithMode0600() throws Exception {
        PreSharedKey key = PreSharedKey.generate(new SecureRandom());
        Path file = dir.resolve("sub/dir/skyhaul.key");
        key.writeNew(file);
        assertArrayEquals(key.bytes(), PreSharedKey.read(file).bytes());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        assertTrue(text.matches("[0-9a-f]{64}\n"), text);
    }

    @Test
    void writeRefusesToOverwriteAnExistingKey() throws Exception {
        Path file = dir.resolve("skyhaul.key");
        PreSharedKey first = PreSharedKey.generate(new SecureRandom());
        first.writeNew(file);
        PreSharedKey.KeyFileException e = assertThrows(PreSharedKey.KeyFileException.class,
                () -> PreSharedKey.generate(new SecureRandom()).writeNew(file));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertArrayEquals(first.bytes(), PreSharedKey.read(file).bytes(), "the first key is untouched");
    }

    @Test
    void aMissingFileSaysHowToCreateOne() {
        Path file = dir.resolve("absent.key");
        PreSharedKey.KeyFileException e = assertThrows(PreSharedKey.KeyFileException.class, () -> PreSharedKey.read(file));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("skyhaul keygen"), e.getMessage());
    }

    @Test
    void aKeyOfTheWrongLengthIsRefused() throws IOException {
        for (String text : new String[] {"", "00", "ab".repeat(31), "ab".repeat(33), "ab".repeat(31) + "a"}) {
            Path file = Files.writeString(dir.resolve("len" + text.length() + ".key"), text + "\n");
            PreSharedKey.KeyFileException e = assertThrows(PreSharedKey.KeyFileException.class, () -> PreSharedKey.read(file));
            assertTrue(e.getMessage().contains("64 hex characters") && e.getMessage().contains("found " + text.length()), e.getMessage());
        }
    }

    @Test
    void aKeyThatIsNotHexIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("nothex.key"), "zz".repeat(32));
        PreSharedKey.KeyFileException e = assertThrows(PreSharedKey.KeyFileException.class, () -> PreSharedKey.read(file));
        assertTrue(e.getMessage().contains("not hexadecimal"), e.getMessage());
        Path almost = Files.writeString(dir.resolve("almost.key"), "ab".repeat(31) + "g0");
        assertThrows(PreSharedKey.KeyFileException.class, () -> PreSharedKey.read(almost));
    }

    @Test
    void surroundingWhitespaceAndUpperCaseHexAreAccepted() throws Exception {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        Path file = Files.writeString(dir.resolve("upper.key"), "  " + HexFormat.of().withUpperCase().formatHex(raw) + "\r\n");
        assertArrayEquals(raw, PreSharedKey.read(file).bytes());
    }

    @Test
    void aDirectoryInsteadOfAFileIsReportedAsUnreadable() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("a-directory"));
        PreSharedKey.KeyFileException e = assertThrows(PreSharedKey.KeyFileException.class, () -> PreSharedKey.read(sub));
        assertTrue(e.getMessage().contains("cannot read key file"), e.getMessage());
    }

    @Test
    void ofRefusesAKeyOfTheWrongSizeAndCopiesItsInput() {
        assertThrows(IllegalArgumentException.class, () -> PreSharedKey.of(new byte[31]));
        byte[] raw = new byte[32];
        PreSharedKey key = PreSharedKey.of(raw);
        raw[0] = 1;
        assertEquals(0, key.bytes()[0], "later changes to the caller's array do not reach the key");
    }
}
