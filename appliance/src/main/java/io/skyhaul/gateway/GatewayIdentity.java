package io.skyhaul.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.http.JsonMapper;
import io.skyhaul.vault.PublicKeySeal;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Who this gateway is: the X25519 key pair it made for its activation ({@code identity.json})
 * and, once an admin activated it, its name and gateway key for its manager
 * ({@code credentials.json}). Both files are written whole (temp file, fsync, rename) with mode
 * 0600; neither is ever logged. Deactivation moves the credentials aside and makes a new key pair.
 */
public final class GatewayIdentity {
    static final String IDENTITY = "identity.json";
    static final String CREDENTIALS = "credentials.json";
    static final String REVOKED = "credentials.revoked.json";

    /** What the gateway presents to its manager. */
    public record Credentials(String manager, String name, String key) {
        @Override
        public String toString() {
            return "Credentials[manager=" + manager + ", name=" + name + ", key=(hidden)]";
        }
    }

    private final Path dir;
    private final SecureRandom random;
    private final ObjectMapper json = JsonMapper.create();
    private KeyPair keyPair;

    private GatewayIdentity(Path dir, SecureRandom random) {
        this.dir = dir;
        this.random = random;
    }

    /** Loads the key pair from {@code dir}, making one on first start. */
    public static GatewayIdentity open(Path dir, SecureRandom random) throws IOException {
        GatewayIdentity id = new GatewayIdentity(dir, random);
        Files.createDirectories(dir);
        Path file = dir.resolve(IDENTITY);
        if (Files.exists(file)) {
            id.keyPair = read(file);
        } else {
            id.renewKeyPair();
        }
        return id;
    }

    public synchronized KeyPair keyPair() {
        return keyPair;
    }

    /** A fresh key pair (first start, or after a deactivation: the old public key is bound to the old name). */
    public synchronized void renewKeyPair() throws IOException {
        KeyPair k = PublicKeySeal.newKeyPair(random);
        writePrivate(dir.resolve(IDENTITY), json.writeValueAsBytes(Map.of("curve", "X25519",
                "private", Base64.getEncoder().encodeToString(k.getPrivate().getEncoded()),
                "public", Base64.getEncoder().encodeToString(k.getPublic().getEncoded()))));
        keyPair = k;
    }

    public Optional<Credentials> credentials() throws IOException {
        Path file = dir.resolve(CREDENTIALS);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode n = json.readTree(file.toFile());
        if (!n.hasNonNull("manager") || !n.hasNonNull("name") || !n.hasNonNull("key")) {
            throw new IOException(file + " is damaged (manager, name and key are needed); move it away to activate this gateway again");
        }
        return Optional.of(new Credentials(n.get("manager").asText(), n.get("name").asText(), n.get("key").asText()));
    }

    public void saveCredentials(Credentials c) throws IOException {
        writePrivate(dir.resolve(CREDENTIALS), json.writeValueAsBytes(Map.of("manager", c.manager(), "name", c.name(), "key", c.key())));
    }

    /** The manager no longer accepts this gateway's key: the credentials are kept aside (for the record) and a new key pair made. */
    public void forgetCredentials() throws IOException {
        Path file = dir.resolve(CREDENTIALS);
        if (Files.exists(file)) {
            Files.move(file, dir.resolve(REVOKED), StandardCopyOption.REPLACE_EXISTING);
        }
        renewKeyPair();
    }

    private static KeyPair read(Path file) throws IOException {
        try {
            JsonNode n = JsonMapper.create().readTree(file.toFile());
            KeyFactory f = KeyFactory.getInstance("X25519");
            return new KeyPair(f.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(n.path("public").asText()))),
                    f.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(n.path("private").asText()))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " does not hold a usable key pair (" + e.getMessage() + "); move it away to make a new one", e);
        }
    }

    /** Writes {@code bytes} to {@code target} whole and only readable by this user: temp file 0600, fsync, atomic rename, fsync of the directory. */
    public static void writePrivate(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.write(java.nio.ByteBuffer.wrap(bytes));
            c.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
