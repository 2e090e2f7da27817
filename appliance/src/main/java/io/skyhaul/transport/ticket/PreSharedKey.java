package io.skyhaul.transport.ticket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The 256-bit key shared by a ticket issuer and the receivers that verify its tickets. Stored as
 * 64 hex characters in a file readable only by its owner.
 */
public final class PreSharedKey {
    public static final int LENGTH = 32;
    private final byte[] key;

    private PreSharedKey(byte[] key) {
        this.key = key;
    }

    public static PreSharedKey generate(SecureRandom random) {
        byte[] key = new byte[LENGTH];
        random.nextBytes(key);
        return new PreSharedKey(key);
    }

    public static PreSharedKey of(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("a pre-shared key has 32 bytes, not " + key.length);
        }
        return new PreSharedKey(key.clone());
    }

    /** Reads a key file; the message of a failure says what is wrong and how to fix it. */
    public static PreSharedKey read(Path file) throws KeyFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            throw new KeyFileException("key file " + file + " does not exist; create one with 'skyhaul keygen --out " + file + "'");
        } catch (IOException e) {
            throw new KeyFileException("cannot read key file " + file + ": " + e.getMessage());
        }
        if (text.length() != LENGTH * 2) {
            throw new KeyFileException("key file " + file + " must hold 64 hex characters (a 256-bit key), found " + text.length()
                    + " characters; create one with 'skyhaul keygen'");
        }
        try {
            return new PreSharedKey(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new KeyFileException("key file " + file + " is not hexadecimal; create one with 'skyhaul keygen'");
        }
    }

    /** Writes the key to a new file with mode 0600; refuses to overwrite an existing key. */
    public void writeNew(Path file) throws KeyFileException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, HexFormat.of().formatHex(key) + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new KeyFileException("key file " + file + " already exists; refusing to overwrite a key (delete it first if you mean to)");
        } catch (IOException e) {
            throw new KeyFileException("cannot write key file " + file + ": " + e.getMessage());
        }
    }

    byte[] bytes() {
        return key;
    }

    /** A copy of the key's bytes, for handing the key to a manager over an authenticated channel. */
    public byte[] encoded() {
        return key.clone();
    }

    /** A key file that is missing, unreadable or malformed. */
    public static final class KeyFileException extends Exception {
        private static final long serialVersionUID = 1L;

        public KeyFileException(String message) {
            super(message);
        }
    }
}
