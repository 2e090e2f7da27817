package io.skyhaul.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/c.txt", "dir with spaces/ünïcødé ✓.bin", ".hidden/file", "a/.b", "a..b/c...d"})
    void validKeys(String key) throws Exception {
        assertEquals(key, ObjectKeys.requireValid(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "a//b", "a/", "./a", "a/./b", "..", "a/../b", "a\\b", "a\u0000b", "a\nb"})
    void invalidKeys(String key) {
        StorageException e = assertThrows(StorageException.class, () -> ObjectKeys.requireValid(key));
        assertEquals(StorageError.INVALID_KEY, e.error());
        assertTrue(e.getMessage().startsWith("invalid object key"), e.getMessage());
        assertTrue(!e.getMessage().contains("\u0000") && !e.getMessage().contains("\n"), "control characters are escaped in the message");
    }

    @Test
    void theLimitIsCountedInUtf8Bytes() throws Exception {
        ObjectKeys.requireValid("x".repeat(1024));
        ObjectKeys.requireValid("é".repeat(512));
        assertThrows(StorageException.class, () -> ObjectKeys.requireValid("é".repeat(513)));
        assertThrows(StorageException.class, () -> ObjectKeys.requireValid(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "dir/", "dir", "dir/sub/par", "a/."})
    void validPrefixes(String prefix) throws Exception {
        assertEquals(prefix, ObjectKeys.requireValidPrefix(prefix));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/dir", "a//", "../", "a/../", "a/..", "a\\"})
    void invalidPrefixes(String prefix) {
        assertEquals(StorageError.INVALID_KEY, assertThrows(StorageException.class, () -> ObjectKeys.requireValidPrefix(prefix)).error());
    }
}
