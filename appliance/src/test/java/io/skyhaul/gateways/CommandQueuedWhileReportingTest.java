package io.skyhaul.gateways;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.skyhaul.audit.AuditLog;
import io.skyhaul.auth.Principal;
import io.skyhaul.auth.Role;
import io.skyhaul.db.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: queuing a command read the open commands, then inserted, in one SQLite
 * transaction. When the gateway's status report (or its answer to the previous command) was
 * being written at that moment, SQLite refused the read-to-write upgrade at once with
 * SQLITE_BUSY (the busy timeout does not apply to an upgrade), and an admin pressing Resume
 * right after Pause got a 500. Against a real database file, with reports written all along.
 */
@Timeout(60)
class CommandQueuedWhileReportingTest {
    static final int COMMANDS = 300;

    @TempDir
    Path dir;

    @Test
    void aCommandQueuedWhileTheGatewayReportsIsNeverRefusedAsBusy() throws Exception {
        Database db = Database.open(dir);
        Clock clock = Clock.systemUTC();
        AuditLog audit = new AuditLog(db.jdbi(), clock);
        GatewayRegistry registry = new GatewayRegistry(db.jdbi(), audit, clock);
        GatewayCommands commands = new GatewayCommands(db.jdbi(), registry, audit, clock);
        Principal admin = Principal.user("u1", "admin", Role.ADMIN);
        db.jdbi().useHandle(h -> registry.bind(h, "studio", "hash", "0000:0000:0000:0000", "host", admin, clock.instant()));

        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> reportFailures = new ArrayList<>();
        Thread reporter = new Thread(() -> {
            GatewayMessages.Status status = new GatewayMessages.Status("test", false, null, null, null, null, 0, 0);
            while (!done.get()) {
                try {
                    registry.report("studio", status);
                } catch (RuntimeException e) {
                    reportFailures.add(e);
                }
            }
        }, "reporter");
        reporter.start();
        List<String> refused = new ArrayList<>();
        try {
            for (int i = 0; i < COMMANDS; i++) {
                try {
                    commands.enqueue(admin, "studio", new GatewayMessages.CommandRequest(GatewayMessages.CommandKind.STATUS, null, null, null));
                } catch (RuntimeException e) {
                    refused.add(i + ": " + e);
                }
            }
        } finally {
            done.set(true);
            reporter.join();
        }
        assertEquals(0, refused.size(), refused.size() + " of " + COMMANDS + " commands refused while the gateway reported, e.g. "
                + refused.subList(0, Math.min(2, refused.size())));
        assertEquals(List.of(), reportFailures, "reports refused while commands were queued");
        assertEquals(COMMANDS, commands.list("studio", 1000).size());
    }
}
