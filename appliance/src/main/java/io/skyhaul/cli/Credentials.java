package io.skyhaul.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code skyhaul login} keeps the manager's URL and the API token: one JSON file readable
 * by its owner only ({@code ~/.config/skyhaul/credentials.json}, or under
 * {@code $SKYHAUL_CONFIG_DIR}). {@code SKYHAUL_SERVER} and {@code SKYHAUL_TOKEN} override it.
 */
record Credentials(String server, String token) {
    static final String FILE = "credentials.json";

    static Path dir() {
        String custom = System.getenv("SKYHAUL_CONFIG_DIR");
        if (custom != null && !custom.isEmpty()) {
            return Path.of(custom);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        return (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config")).resolve("skyhaul");
    }

    static Optional<Credentials> load() throws IOException {
        String server = System.getenv("SKYHAUL_SERVER");
        String token = System.getenv("SKYHAUL_TOKEN");
        Path file = dir().resolve(FILE);
        if (Files.exists(file)) {
            Map<?, ?> m = new ObjectMapper().readValue(file.toFile(), Map.class);
            server = server != null ? server : (String) m.get("server");
            token = token != null ? token : (String) m.get("token");
        }
        return server == null ? Optional.empty() : Optional.of(new Credentials(server, token));
    }

    /** Writes the file with mode 0600 from the start (a temporary file, then an atomic rename). */
    void save() throws IOException {
        Path dir = dir();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".credentials", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, new ObjectMapper().writeValueAsString(Map.of("server", server, "token", token)));
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String toString() {
        return "Credentials[server=" + server + "]";
    }
}
