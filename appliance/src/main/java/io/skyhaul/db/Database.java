package io.skyhaul.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The manager's state: one SQLite file (WAL mode, foreign keys on), brought to the current
 * schema by the Flyway migrations under {@code db/migration} before anything reads it. The same
 * migrations are written in portable SQL so that several managers can later share PostgreSQL.
 */
public final class Database {
    public static final String FILE_NAME = "skyhaul.db";

    private final Jdbi jdbi;
    private final Path file;

    private Database(Jdbi jdbi, Path file) {
        this.jdbi = jdbi;
        this.file = file;
    }

    /** Opens (creating if needed) {@code dir/skyhaul.db} and migrates it. */
    public static Database open(Path dir) throws IOException {
        return open(dir.resolve(FILE_NAME), "classpath:db/migration", false);
    }

    /**
     * Opens (creating if needed) the SQLite file {@code file} and migrates it with the Flyway
     * migrations at {@code migrations}: a gateway keeps its own small state this way
     * ({@code classpath:db/gateway}), apart from any manager's. With {@code syncEveryCommit} a
     * commit is on disk before it returns, power loss included (the gateway's promise that an
     * acknowledged file is never lost); otherwise a crash of the process loses nothing, a power
     * loss may lose the last commits.
     */
    public static Database open(Path file, String migrations, boolean syncEveryCommit) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(syncEveryCommit ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        // A transaction that reads, then writes, must hold the write lock from its start: SQLite
        // cannot upgrade a read lock while another connection writes, and fails at once with
        // "database is locked" instead of waiting out the busy timeout.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        Flyway.configure().dataSource(source).locations(migrations).load().migrate();
        Jdbi jdbi = Jdbi.create(source).installPlugin(new SqlObjectPlugin());
        return new Database(jdbi, file);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Path file() {
        return file;
    }

    /** True when a trivial query answers: the readiness check. */
    public boolean isHealthy() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
