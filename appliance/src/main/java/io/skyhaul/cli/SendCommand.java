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

@Command(name = "send", mixinStandardHelpOptions = true, description = "Send files and directories to a Skyhaul receiver over the accelerated UDP protocol."
        + " Running the same command again after an interruption sends only what is missing.", footer = ExitCodes.HELP)
final class SendCommand extends ClientCommand {
    @Option(names = "--to", required = true, paramLabel = "HOST:PORT", converter = Converters.HostPort.class,
            description = "Address of the receiver's UDP port.")
    InetSocketAddress to;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to send (a directory is sent with its whole tree).")
    List<Path> paths;

    @Override
    protected TransferReport transfer(SessionTicket ticket, byte[] sealed, ProgressListener progress) throws TransferException {
        return new TransferClient(transport.settings()).send(to, ticket, sealed, paths, progress);
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
