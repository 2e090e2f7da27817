package io.skyhaul.cli;

import io.skyhaul.transport.session.TransferNode;
import io.skyhaul.transport.ticket.PreSharedKey;
import io.skyhaul.transport.ticket.TicketSealer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "receive", mixinStandardHelpOptions = true, description = "Receive files into a directory (and serve 'skyhaul get' from it) until stopped with Ctrl-C or SIGTERM.",
        footer = ExitCodes.HELP)
final class ReceiveCommand implements Callable<Integer> {
    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", converter = Converters.HostPort.class,
            description = "UDP address to listen on, e.g. 127.0.0.1:9000.")
    InetSocketAddress listen;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory to receive into and serve from (created if missing).")
    Path dir;

    @Mixin
    TransportOptions transport;

    @Override
    public Integer call() throws Exception {
        PreSharedKey key;
        try {
            key = transport.key();
        } catch (PreSharedKey.KeyFileException e) {
            System.err.println("skyhaul receive: " + e.getMessage());
            return ExitCodes.KEY_PROBLEM;
        }
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            System.err.println("skyhaul receive: cannot create " + dir + ": " + e.getMessage());
            return ExitCodes.LOCAL_IO;
        }
        TicketSealer sealer = new TicketSealer(key, new SecureRandom(), Clock.systemUTC());
        TransferNode node;
        try {
            node = TransferNode.start(listen, dir, sealer, transport.settings());
        } catch (Exception e) {
            // Netty rethrows the bind failure (an IOException) without declaring it.
            System.err.println("skyhaul receive: cannot listen on udp " + listen.getHostString() + ":" + listen.getPort() + ": "
                    + e.getMessage().replace("bind(..) failed with error(-98): ", ""));
            return ExitCodes.LOCAL_IO;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "skyhaul-receive-shutdown"));
        System.err.println("receiving into " + dir.toAbsolutePath() + " on udp " + node.localAddress().getHostString() + ":"
                + node.localAddress().getPort() + "; Ctrl-C to stop");
        stopped.await();
        return ExitCodes.OK;
    }
}
