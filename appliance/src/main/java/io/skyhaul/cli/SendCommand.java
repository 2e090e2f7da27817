package io.skyhaul.cli;

import io.skyhaul.transport.session.ProgressListener;
import io.skyhaul.transport.session.TransferClient;
import io.skyhaul.transport.session.TransferException;
import io.skyhaul.transport.session.TransferReport;
import io.skyhaul.transport.ticket.Direction;
import io.skyhaul.transport.ticket.SessionTicket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "send", mixinStandardHelpOptions = true, description = {
    "Send files and directories over the accelerated UDP protocol:",
    "  through a manager into storage:  skyhaul send PATH... s3://ACCOUNT/bucket/prefix/  (also azure://, local://)",
    "  straight to a receiver:          skyhaul send --to HOST:PORT --key-file KEY PATH...",
    "Running the same direct command again after an interruption sends only what is missing."}, footer = ExitCodes.HELP)
final class SendCommand extends ClientCommand {
    @Option(names = "--to", paramLabel = "HOST:PORT", converter = Converters.HostPort.class,
            description = "Send straight to a receiver's UDP port (with --key-file) instead of through a manager.")
    InetSocketAddress to;

    @Option(names = "--token", paramLabel = "TOKEN", description = "A partner token (or API token) to use instead of the one saved by 'skyhaul login'.")
    String token;

    @Option(names = "--overwrite", paramLabel = "RULE", description = "When an object exists: always (default), never, if-different.")
    String overwrite;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to send (a directory is sent with its whole tree);"
            + " through a manager, the last one is the destination location.")
    List<String> args;

    @Override
    public Integer call() {
        if (to != null) {
            return super.call();
        }
        if (args.size() < 2 || !args.get(args.size() - 1).contains("://")) {
            System.err.println("skyhaul send: name the destination last (e.g. local://local/inbox/ or s3://ACCOUNT/bucket/prefix/), or use --to HOST:PORT");
            return ExitCodes.USAGE;
        }
        List<Path> paths = args.subList(0, args.size() - 1).stream().map(Path::of).toList();
        String location = args.get(args.size() - 1);
        return runManaged(token, (transfer, listener) -> transfer.upload(paths, location, transport.maxRate,
                transport.policy.name().toLowerCase(java.util.Locale.ROOT), overwrite, listener));
    }

    @Override
    protected TransferReport transfer(SessionTicket ticket, byte[] sealed, ProgressListener progress) throws TransferException {
        return new TransferClient(transport.settings()).send(to, ticket, sealed, args.stream().map(Path::of).toList(), progress);
    }

    @Override
    protected Direction direction() {
        return Direction.UPLOAD;
    }

    @Override
    protected String name() {
        return "send";
    }
}
