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

@Command(name = "get", mixinStandardHelpOptions = true, description = "Fetch files or directories from a Skyhaul receiver's directory into a local directory.",
        footer = ExitCodes.HELP)
final class GetCommand extends ClientCommand {
    @Option(names = "--from", required = true, paramLabel = "HOST:PORT", converter = Converters.HostPort.class,
            description = "Address of the receiver's UDP port.")
    InetSocketAddress from;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Local directory to write into (created if missing).")
    Path dir;

    @Parameters(arity = "1..64", paramLabel = "REMOTE_PATH", description = "Paths relative to the receiver's directory.")
    List<String> remotePaths;

    @Override
    protected TransferReport transfer(SessionTicket ticket, byte[] sealed, ProgressListener progress) throws TransferException {
        return new TransferClient(transport.settings()).get(from, ticket, sealed, remotePaths, dir, progress);
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
