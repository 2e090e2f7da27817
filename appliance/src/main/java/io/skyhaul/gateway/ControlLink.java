package io.skyhaul.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.client.ManagerClient;
import io.skyhaul.gateways.GatewayMessages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control link the gateway holds open to its manager: a long poll for commands (the
 * manager never connects to a gateway), each command run and its result posted. Short commands
 * run in order on the polling thread; transfers run beside it, so a long upload does not hold up
 * a pause. After a cut the link comes back with back-off; since the manager gives again every
 * command it has no result for, none is missed, and one that ran before a crash runs again
 * (transfers are idempotent by their client reference).
 */
final class ControlLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlLink.class);
    /** How long one poll waits on the manager's side. */
    static final Duration POLL_WAIT = Duration.ofSeconds(20);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
    static final int TRANSFER_WORKERS = 4;

    /** Runs commands. */
    interface Handler {
        GatewayMessages.CommandResult handle(GatewayMessages.Command command) throws InterruptedException;

        /** A command that may run for long (a transfer) runs beside the link, not on it. */
        boolean isLong(GatewayMessages.Command command);
    }

    /** The manager refused the gateway's key: it was deactivated. */
    static final class Revoked extends Exception {
        Revoked(String message) {
            super(message);
        }
    }

    private final Handler handler;
    private final ExecutorService workers = Executors.newFixedThreadPool(TRANSFER_WORKERS, r -> {
        Thread t = new Thread(r, "skyhaul-gateway-command");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean connected;
    private volatile String problem;

    ControlLink(Handler handler) {
        this.handler = handler;
    }

    boolean connected() {
        return connected;
    }

    /** Why the link is down, when it is. */
    String problem() {
        return problem;
    }

    /** Polls and runs commands until interrupted, or until the manager refuses the key (Revoked). */
    void run(ManagerClient manager, String name) throws InterruptedException, Revoked {
        Backoff backoff = new Backoff(Duration.ofMillis(250), MAX_BACKOFF);
        connected = false;
        long after = 0;
        boolean wasDown = false;
        while (!Thread.currentThread().isInterrupted()) {
            JsonNode answer;
            try {
                // The first poll of a connection answers at once: the link is known to be up without waiting out a long poll.
                answer = manager.get("gateway/commands?after=" + after + "&waitSeconds=" + (connected ? POLL_WAIT.toSeconds() : 0));
            } catch (ManagerClient.ManagerException e) {
                connected = false;
                if (e.status() == 401) {
                    throw new Revoked(e.getMessage());
                }
                problem = e.getMessage();
                if (!wasDown) {
                    LOG.warn("gateway {}: control link to {} down: {}; reconnecting with back-off", name, manager.server(), e.getMessage());
                    wasDown = true;
                }
                backoff.pause();
                continue;
            }
            if (wasDown || !connected) {
                LOG.info("gateway {}: control link to {} up", name, manager.server());
                wasDown = false;
            }
            connected = true;
            problem = null;
            backoff.reset();
            List<GatewayMessages.Command> commands = manager.convert(answer, CommandList.class);
            for (GatewayMessages.Command c : commands) {
                after = Math.max(after, c.seq());
                LOG.info("gateway {}: command #{} {} from {}", name, c.seq(), c.kind().wireName(), c.createdBy());
                if (handler.isLong(c)) {
                    workers.submit(() -> runAndAnswer(manager, name, c));
                } else {
                    runAndAnswer(manager, name, c);
                }
            }
        }
        throw new InterruptedException();
    }

    private void runAndAnswer(ManagerClient manager, String name, GatewayMessages.Command c) {
        GatewayMessages.CommandResult result;
        try {
            result = handler.handle(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.warn("gateway {}: command #{} failed: {}", name, c.seq(), e.toString());
            result = new GatewayMessages.CommandResult(false, "the gateway could not run it: " + e);
        }
        LOG.info("gateway {}: command #{} {}: {}", name, c.seq(), result.ok() ? "done" : "failed", result.message());
        Backoff backoff = new Backoff(Duration.ofMillis(250), MAX_BACKOFF);
        Map<String, Object> body = Map.of("ok", result.ok(), "message", result.message() == null ? "" : truncate(result.message()));
        while (!Thread.currentThread().isInterrupted()) {
            try {
                manager.post("gateway/commands/" + c.seq() + "/result", body);
                return;
            } catch (ManagerClient.ManagerException e) {
                if (!e.isTransient()) {
                    LOG.warn("gateway {}: the manager refused the result of command #{}: {}", name, c.seq(), e.getMessage());
                    return;
                }
                try {
                    backoff.pause();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String truncate(String s) {
        return s.length() > 3900 ? s.substring(0, 3900) + "..." : s;
    }

    /** For Jackson: a list of commands. */
    static final class CommandList extends java.util.ArrayList<GatewayMessages.Command> {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
