package io.skyhaul.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.config.HotFolderConfig;
import io.skyhaul.db.Database;
import io.skyhaul.gateways.GatewayMessages;
import io.skyhaul.http.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The gateway's own small database ({@code gateway.db}, every commit synced): its hot folders
 * (from the config file and from the manager), settings such as "paused", the refusals it
 * reported, and per-folder counts. The files of the hot folders are in {@link HotFileStore}.
 */
public final class GatewayState {
    public static final String FILE_NAME = "gateway.db";
    /** Refusals kept (the newest); older ones are in the log. */
    static final int KEEP_REFUSALS = 200;

    private final Jdbi jdbi;
    private final Clock clock;
    private final ObjectMapper json = JsonMapper.create();

    private GatewayState(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public static GatewayState open(Path dir, Clock clock) throws IOException {
        return new GatewayState(Database.open(dir.resolve(FILE_NAME), "classpath:db/gateway", true).jdbi(), clock);
    }

    Jdbi jdbi() {
        return jdbi;
    }

    public Optional<String> setting(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT value FROM settings WHERE key = :k").bind("k", key).mapTo(String.class).findOne());
    }

    public void setSetting(String key, String value) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO settings (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET value = :v")
                .bind("k", key).bind("v", value).execute());
    }

    /** A hot folder as stored, and where it came from. */
    public record StoredFolder(HotFolderConfig config, String origin) {
    }

    public List<StoredFolder> hotFolders() {
        return jdbi.withHandle(h -> h.createQuery("SELECT config, origin FROM hot_folders ORDER BY name").map((rs, ctx) -> {
            try {
                return new StoredFolder(json.readValue(rs.getString("config"), HotFolderConfig.class), rs.getString("origin"));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a stored hot folder does not read back: " + e.getOriginalMessage(), e);
            }
        }).list());
    }

    public void saveHotFolder(HotFolderConfig f, String origin) {
        String text;
        try {
            text = json.writeValueAsString(f);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO hot_folders (name, config, origin, updated_at) VALUES (:n, :c, :o, :at)"
                        + " ON CONFLICT (name) DO UPDATE SET config = :c, origin = :o, updated_at = :at")
                .bind("n", f.name()).bind("c", text).bind("o", origin).bind("at", clock.instant().toString()).execute());
    }

    public boolean removeHotFolder(String name) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM hot_folders WHERE name = :n").bind("n", name).execute()) > 0;
    }

    public void refused(String source, String file, String rule, String reason) {
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO refusals (at, source, file, rule, reason) VALUES (:at, :s, :f, :r, :why)").bind("at", now.toString())
                    .bind("s", source).bind("f", file).bind("r", rule).bind("why", reason).execute();
            h.createUpdate("DELETE FROM refusals WHERE id <= (SELECT max(id) FROM refusals) - :keep").bind("keep", KEEP_REFUSALS).execute();
        });
    }

    /** Newest first. */
    public List<GatewayMessages.Refusal> refusals(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM refusals ORDER BY id DESC LIMIT :n").bind("n", limit)
                .map((rs, ctx) -> new GatewayMessages.Refusal(Instant.parse(rs.getString("at")), rs.getString("source"), rs.getString("file"),
                        rs.getString("rule"), rs.getString("reason"))).list());
    }

    /** Counts of a hot folder: files sent, failed, refused since it was first seen. */
    public record Counts(long sent, long failed, long refused) {
    }

    public Counts counts(String folder) {
        return jdbi.withHandle(h -> h.createQuery("SELECT sent, failed, refused FROM folder_counts WHERE folder = :f").bind("f", folder)
                .map((rs, ctx) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3))).findOne()).orElse(new Counts(0, 0, 0));
    }

    public void count(String folder, String what, int n) {
        if (!List.of("sent", "failed", "refused").contains(what)) {
            throw new IllegalArgumentException(what);
        }
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO folder_counts (folder, " + what + ") VALUES (:f, :n) ON CONFLICT (folder) DO UPDATE SET "
                + what + " = " + what + " + :n").bind("f", folder).bind("n", n).execute());
    }
}
