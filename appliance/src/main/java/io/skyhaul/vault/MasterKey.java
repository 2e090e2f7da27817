package io.skyhaul.vault;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The key that encrypts stored credentials: 32 random bytes, base64 in a file readable by its
 * owner only (0600), created on first start; or given through {@code SKYHAUL_MASTER_KEY}
 * (base64) so that it can live in a secret manager instead of on disk.
 */
public final class MasterKey {
    public static final String FILE_NAME = "master.key";
    public static final String ENV = "SKYHAUL_MASTER_KEY";
    private static final int LENGTH = 32;

    private final byte[] key;
    private final String source;

    private MasterKey(byte[] key, String source) {
        this.key = key;
        this.source = source;
    }

    /** From the environment value if given, else from {@code dir/master.key}, created if missing. */
    public static MasterKey load(String envValue, Path dir, SecureRandom random) throws VaultException {
        if (envValue != null && !envValue.isBlank()) {
            return new MasterKey(decode(envValue.trim(), ENV), ENV);
        }
        Path file = dir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[LENGTH];
                random.nextBytes(fresh);
                writeOwnerOnly(file, Base64.getEncoder().encodeToString(fresh) + "\n");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new VaultException("master key " + file + " is readable by others (" + PosixFilePermissions.toString(perms)
                        + "); run: chmod 600 " + file);
            }
            return new MasterKey(decode(Files.readString(file).trim(), file.toString()), file.toString());
        } catch (IOException e) {
            throw new VaultException("cannot read or create the master key " + file + ": " + e.getMessage());
        }
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content, StandardOpenOption.WRITE);
        try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException e) {
            // Another process created it first: use theirs.
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] decode(String base64, String where) throws VaultException {
        try {
            byte[] k = Base64.getDecoder().decode(base64);
            if (k.length != LENGTH) {
                throw new VaultException("master key in " + where + " must be " + LENGTH + " bytes (base64), not " + k.length);
            }
            return k;
        } catch (IllegalArgumentException e) {
            throw new VaultException("master key in " + where + " is not valid base64");
        }
    }

    byte[] bytes() {
        return key.clone();
    }

    /** Where the key came from, for the start-up log (never the key). */
    public String source() {
        return source;
    }
}
