package io.skyhaul.gateway.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The token local clients (the {@code skyhaul spool} command, scripts, an editing station) present
 * to the gateway's own API: 256 random bits made on first start, kept in {@code local-api.token}
 * (mode 0600) for the operator to hand out. Compared in constant time.
 */
public final class LocalApiToken {
    public static final String FILE_NAME = "local-api.token";
    public static final String PREFIX = "shl_";

    private final String token;
    private final Path file;

    private LocalApiToken(String token, Path file) {
        this.token = token;
        this.file = file;
    }

    public static LocalApiToken loadOrCreate(Path dir, SecureRandom random) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            String t = Files.readString(file).strip();
            if (!t.startsWith(PREFIX) || t.length() < PREFIX.length() + 40) {
                throw new IOException(file + " does not hold a gateway API token (shl_...); delete it to make a new one");
            }
            return new LocalApiToken(t, file);
        }
        byte[] b = new byte[32];
        random.nextBytes(b);
        String t = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Files.createDirectories(dir);
        io.skyhaul.gateway.GatewayIdentity.writePrivate(file, (t + "\n").getBytes(StandardCharsets.UTF_8));
        return new LocalApiToken(t, file);
    }

    public Path file() {
        return file;
    }

    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
