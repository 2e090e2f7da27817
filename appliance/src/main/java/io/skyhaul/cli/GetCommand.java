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

@Command(name = "get", mixinStandardHelpOptions = true, description = {
    "Fetch files over the accelerated UDP protocol:",
    "  from storage through a manager:  skyhaul get azure://ACCOUNT/container/prefix/ DIR  (also s3://, local://)",
    "  from a receiver's directory:     skyhaul get --from HOST:PORT --key-file KEY --dir DIR REMOTE_PATH..."}, footer = ExitCodes.HELP)
final class GetCommand extends ClientCommand {
    @Option(names = "--from", paramLabel = "HOST:PORT", converter = Converters.HostPort.class,
            description = "Fetch straight from a receiver's UDP port (with --key-file and --dir) instead of through a manager.")
    InetSocketAddress from;

    @Option(names = "--dir", paramLabel = "DIR", description = "With --from: local directory to write into (created if missing).")
    Path dir;

    @Option(names = "--token", paramLabel = "TOKEN", description = "A partner token (or API token) to use instead of the one saved by 'skyhaul login'.")
    String token;

    @Parameters(arity = "1..64", paramLabel = "ARG", description = "With --from: paths relative to the receiver's directory."
            + " Through a manager: the location, then the local directory.")
    List<String> args;

    @Override
    public Integer call() {
        if (from != null) {
            if (dir == null) {
                System.err.println("skyhaul get: --from needs --dir DIR");
                return ExitCodes.USAGE;
            }
            return super.call();
        }
        if (args.size() != 2 || !args.get(0).contains("://")) {
            System.err.println("skyhaul get: write 'skyhaul get LOCATION DIR' (e.g. local://local/inbox/ ./restore), or use --from HOST:PORT");
            return ExitCodes.USAGE;
        }
        Path target = Path.of(args.get(1));
        return runManaged(token, (transfer, listener) -> transfer.download(args.get(0), target, listener));
    }

    @Override
    protected TransferReport transfer(SessionTicket ticket, byte[] sealed, ProgressListener progress) throws TransferException {
        return new TransferClient(transport.settings()).get(from, ticket, sealed, args, dir, progress);
    }

    @Override
    protected Direction direction() {
        return Direction.DOWNLOAD;
    }

    @Override
    protected String name() {
        return "get";
    }
}
