package io.skyhaul.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyhaul.gateways.GatewayMessages;
import io.skyhaul.http.JsonMapper;
import io.skyhaul.transfers.TransferRequest.TransferDirection;
import io.skyhaul.transport.files.TransferSource;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Runs what the manager commands: a transfer of the gateway's shared files (or into them), a
 * hot folder set or removed, pause, resume, an immediate status report. Each command is checked
 * again here with the same constraints as at the manager (the gateway trusts its own rules, not
 * the wire), and answered with a result a person can read in the console.
 */
final class CommandHandler implements ControlLink.Handler {
    /** Files one commanded upload may name at most (directories are walked). */
    static final int MAX_FILES = 100_000;

    private final GatewayTransfers transfers;
    private final HotFolderControl folders;
    private final Pause pause;
    private final SharedRoots roots;
    private final Runnable reportNow;
    private final Supplier<String> gatewayName;
    private final ObjectMapper json = JsonMapper.create();
    private final Validator validator = Validation.byDefaultProvider().configure().messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory().getValidator();

    CommandHandler(GatewayTransfers transfers, HotFolderControl folders, Pause pause, SharedRoots roots, Runnable reportNow,
            Supplier<String> gatewayName) {
        this.transfers = transfers;
        this.folders = folders;
        this.pause = pause;
        this.roots = roots;
        this.reportNow = reportNow;
        this.gatewayName = gatewayName;
    }

    @Override
    public boolean isLong(GatewayMessages.Command command) {
        return command.kind() == GatewayMessages.CommandKind.TRANSFER;
    }

    @Override
    public GatewayMessages.CommandResult handle(GatewayMessages.Command c) throws InterruptedException {
        GatewayMessages.CommandRequest r;
        try {
            r = json.treeToValue(c.body(), GatewayMessages.CommandRequest.class);
        } catch (IOException | IllegalArgumentException e) {
            return refused("the command does not read: " + e.getMessage());
        }
        Set<ConstraintViolation<GatewayMessages.CommandRequest>> violations = validator.validate(r);
        if (!violations.isEmpty()) {
            return refused(violations.stream().map(v -> v.getPropertyPath() + ": " + v.getMessage()).sorted().collect(Collectors.joining("; ")));
        }
        try {
            return switch (r.kind()) {
                case TRANSFER -> transfer(c.seq(), r.transfer());
                case HOT_FOLDER_SET -> {
                    roots.requireInside(r.hotFolder().path(), "hot folder");
                    roots.requireInside(r.hotFolder().doneFolder(), "done folder");
                    roots.requireInside(r.hotFolder().errorFolder(), "error folder");
                    folders.set(r.hotFolder(), "manager");
                    reportNow.run();
                    yield ok("hot folder '" + r.hotFolder().name() + "' watches " + r.hotFolder().path() + ", sending to " + r.hotFolder().destination());
                }
                case HOT_FOLDER_REMOVE -> {
                    boolean removed = folders.remove(r.name());
                    reportNow.run();
                    yield removed ? ok("hot folder '" + r.name() + "' is no longer watched") : refused("there is no hot folder '" + r.name() + "'");
                }
                case PAUSE -> {
                    pause.set(true);
                    reportNow.run();
                    yield ok("paused: no new transfers start; files are still watched and spooled");
                }
                case RESUME -> {
                    pause.set(false);
                    reportNow.run();
                    yield ok("resumed");
                }
                case STATUS -> {
                    reportNow.run();
                    yield ok("status reported");
                }
            };
        } catch (IllegalArgumentException e) {
            return refused(e.getMessage());
        } catch (IOException e) {
            return refused("cannot look at the gateway's directories: " + e.getMessage());
        }
    }

    private GatewayMessages.CommandResult transfer(long seq, GatewayMessages.TransferCommand t) throws InterruptedException {
        String clientRef = "cmd-" + gatewayName.get() + "-" + seq;
        String source = "command #" + seq;
        try {
            if (t.direction() == TransferDirection.UPLOAD) {
                List<TransferSource.NamedFile> files = new ArrayList<>();
                for (String p : t.paths()) {
                    TransferSource.NamedFile.addTree(roots.existingInside(p), files, MAX_FILES);
                }
                if (files.isEmpty()) {
                    return refused("nothing to send: the paths hold no files");
                }
                pause.awaitRunning();
                String id = transfers.upload(t.location(), files, clientRef, null, source);
                return ok(files.size() + " file(s) sent to " + t.location() + " in transfer " + id);
            }
            Path dir = roots.directoryInside(t.dir());
            pause.awaitRunning();
            String id = transfers.download(t.location(), dir, clientRef, source);
            return ok(t.location() + " fetched into " + dir + " in transfer " + id);
        } catch (IOException e) {
            return refused("cannot read the gateway's files: " + e.getMessage());
        } catch (GatewayTransfers.Refused e) {
            return refused("refused: " + e.getMessage());
        } catch (GatewayTransfers.Failed e) {
            return refused("failed: " + e.getMessage());
        }
    }


    private static GatewayMessages.CommandResult ok(String message) {
        return new GatewayMessages.CommandResult(true, message);
    }

    private static GatewayMessages.CommandResult refused(String message) {
        return new GatewayMessages.CommandResult(false, message);
    }
}
