package io.skyhaul.cli;

import io.skyhaul.client.ManagerClient;
import io.skyhaul.transport.session.ProgressListener;
import io.skyhaul.transport.session.TransferException;
import io.skyhaul.transport.session.TransferReport;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.PreSharedKey;
import io.skyhaul.transport.ticket.SessionTicket;
import io.skyhaul.transport.ticket.TicketSealer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code send} and {@code get} share: the ticket the CLI issues itself from the key file,
 * the progress bar, the summary, and the mapping of failures to exit statuses.
 */
abstract class ClientCommand implements Callable<Integer> {
    /** How long a self-issued ticket is valid: long enough for any transfer to start. */
    static final Duration TICKET_LIFETIME = Duration.ofHours(24);

    @Mixin
    TransportOptions transport;

    @Option(names = "--json", description = "Print one JSON summary (bytes, seconds, goodput, retransmitted bytes, digests) on standard output.")
    boolean json;

    /** Runs the transfer with a ready ticket. */
    protected abstract TransferReport transfer(SessionTicket ticket, byte[] sealed, ProgressListener progress) throws TransferException;

    protected abstract Direction direction();

    protected abstract String name();

    @Override
    public Integer call() {
        if (transport.keyFile == null) {
            // A missing option is bad usage (2); exit 3 is for a key file that cannot be used.
            System.err.println("skyhaul " + name() + ": --key-file KEY is required with a direct transfer (make one with 'skyhaul keygen KEY')");
            return ExitCodes.USAGE;
        }
        PreSharedKey key;
        try {
            key = transport.key();
        } catch (PreSharedKey.KeyFileException e) {
            System.err.println("skyhaul " + name() + ": " + e.getMessage());
            return ExitCodes.KEY_PROBLEM;
        }
        quietLogsUnlessAsked();
        TicketSealer sealer = new TicketSealer(key, new SecureRandom(), Clock.systemUTC());
        SessionTicket ticket = sealer.issue(TICKET_LIFETIME, direction(), "");
        ProgressListener listener = ProgressBar.forTerminal(name());
        try {
            TransferReport report = transfer(ticket, sealer.seal(ticket), listener);
            finishBar(listener);
            if (json) {
                System.out.println(TransferSummary.json(direction() == Direction.UPLOAD ? "send" : "get", report));
            } else {
                System.err.println(TransferSummary.human(direction() == Direction.UPLOAD ? "sent" : "received", report));
            }
            return ExitCodes.OK;
        } catch (TransferException e) {
            finishBar(listener);
            System.err.println("skyhaul " + name() + ": " + e.getMessage());
            return e.error().exitCode();
        }
    }

    /** A transfer through a manager, with the progress bar and the summary. */
    interface ManagedRun {
        ManagedTransfer.Outcome run(ManagedTransfer transfer, ProgressListener listener) throws ManagedTransfer.Failed, ManagerClient.ManagerException;
    }

    protected int runManaged(String tokenOverride, ManagedRun run) {
        quietLogsUnlessAsked();
        ProgressListener listener = ProgressBar.forTerminal(name());
        try {
            ManagedTransfer transfer = new ManagedTransfer(ManagedTransfer.connect(tokenOverride), transport.settings());
            ManagedTransfer.Outcome outcome = run.run(transfer, listener);
            finishBar(listener);
            var t = outcome.transfer().path("transfer");
            if (json) {
                System.out.println(managedJson(TransferSummary.json(direction() == Direction.UPLOAD ? "send" : "get", outcome.session()), t));
            } else {
                System.err.println(TransferSummary.human(direction() == Direction.UPLOAD ? "sent" : "received", outcome.session()));
                System.err.println("transfer " + t.path("id").asText() + " " + t.path("state").asText() + ": " + t.path("location").asText()
                        + (t.path("goodputMbps").isNumber() ? String.format(java.util.Locale.ROOT, ", %.1f Mbit/s end to end", t.path("goodputMbps").asDouble()) : ""));
            }
            return ExitCodes.OK;
        } catch (ManagedTransfer.Failed e) {
            finishBar(listener);
            System.err.println("skyhaul " + name() + ": " + e.getMessage());
            return e.exitCode;
        } catch (ManagerClient.ManagerException e) {
            finishBar(listener);
            System.err.println("skyhaul " + name() + ": " + e.getMessage());
            return ExitCodes.of(e);
        }
    }

    /** The session's JSON summary with the transfer's id, location, state and end-to-end goodput in front. */
    static String managedJson(String sessionJson, com.fasterxml.jackson.databind.JsonNode transfer) {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        try {
            var out = mapper.createObjectNode();
            out.put("transfer", transfer.path("id").asText());
            out.put("state", transfer.path("state").asText());
            out.put("location", transfer.path("location").asText());
            out.set("endToEndMbps", transfer.path("goodputMbps").isNumber() ? transfer.get("goodputMbps") : mapper.nullNode());
            out.setAll((com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(sessionJson));
            return mapper.writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client's terminal shows the progress bar and the outcome; log lines only when SKYHAUL_LOG_LEVEL asks. */
    static void quietLogsUnlessAsked() {
        if (System.getenv("SKYHAUL_LOG_LEVEL") == null
                && org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static void finishBar(ProgressListener listener) {
        if (listener instanceof ProgressBar bar) {
            bar.finish();
        }
    }
}
