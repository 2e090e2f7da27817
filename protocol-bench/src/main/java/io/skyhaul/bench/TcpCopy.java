package io.skyhaul.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A plain TCP copy of one file, the baseline Skyhaul is compared with: one connection, default
 * socket options (the kernel's buffer auto-tuning) except the sender's congestion control, which
 * {@code --congestion} sets on the socket ({@link TcpCongestion}).
 * The bench runs both ends with {@code ip netns exec} on either side of a {@code linkem tun} link.
 *
 * <pre>
 * TcpCopy server --listen HOST:PORT --seconds N   prints "listening HOST:PORT", then one JSON line
 * TcpCopy client --to HOST:PORT --file FILE --seconds N [--congestion bbr|cubic]
 * </pre>
 *
 * <p>The client sends the length (8 bytes) and the file. The server hashes what it receives
 * (discarding it) until the whole length has arrived or {@code --seconds} after the connection
 * was accepted, whichever comes first, then prints {@code {"bytes":B,"seconds":S,"complete":C,
 * "sha256":H}} (the digest only when complete) and resets the connection if it is unfinished.
 * Goodput is {@code bytes / seconds}. The client gives up {@code --seconds} after connecting.
 */
public final class TcpCopy {
    private static final int BUFFER = 1 << 20;
    private static final int READ_POLL_MILLIS = 250;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int ACCEPT_TIMEOUT_MILLIS = 60_000;

    private TcpCopy() {
    }

    public static void main(String[] args) {
        try {
            Args a = Args.parse(args);
            if (a.mode.equals("server")) {
                server(a.address, a.seconds);
            } else {
                client(a.address, a.file, a.seconds, a.congestion);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("tcpcopy: " + e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("tcpcopy: " + e);
            System.exit(1);
        }
    }

    static void server(InetSocketAddress listen, double seconds) throws IOException {
        MessageDigest sha = PayloadFile.sha256Digest();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(listen);
            server.setSoTimeout(ACCEPT_TIMEOUT_MILLIS);
            System.out.println("listening " + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort());
            System.out.flush();
            try (Socket s = server.accept()) {
                long start = System.nanoTime();
                long deadline = start + (long) (seconds * 1e9);
                s.setSoTimeout(READ_POLL_MILLIS);
                InputStream in = s.getInputStream();
                long expected = readLength(new DataInputStream(in), deadline);
                long received = 0;
                long lastByte = start;
                byte[] buffer = new byte[BUFFER];
                while (received < expected && System.nanoTime() < deadline) {
                    int n;
                    try {
                        n = in.read(buffer, 0, (int) Math.min(buffer.length, expected - received));
                    } catch (SocketTimeoutException e) {
                        continue;
                    }
                    if (n < 0) {
                        break;
                    }
                    sha.update(buffer, 0, n);
                    received += n;
                    lastByte = System.nanoTime();
                }
                boolean complete = received == expected;
                double elapsed = ((complete ? lastByte : System.nanoTime()) - start) / 1e9;
                if (!complete) {
                    s.setSoLinger(true, 0);
                }
                System.out.println(String.format(Locale.ROOT, "{\"bytes\":%d,\"seconds\":%.3f,\"complete\":%b%s}", received, elapsed, complete,
                        complete ? ",\"sha256\":\"" + HexFormat.of().formatHex(sha.digest()) + "\"" : ""));
                System.out.flush();
            }
        }
    }

    private static long readLength(DataInputStream in, long deadline) throws IOException {
        while (true) {
            try {
                return in.readLong();
            } catch (SocketTimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("no length from the client before the deadline");
                }
            }
        }
    }

    static void client(InetSocketAddress to, Path file, double seconds, String congestion) throws IOException {
        try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ);
             SocketChannel channel = SocketChannel.open()) {
            if (congestion != null) {
                TcpCongestion.set(channel, congestion);
            }
            channel.socket().connect(to, CONNECT_TIMEOUT_MILLIS);
            long start = System.nanoTime();
            Thread watchdog = new Thread(() -> closeAfter(channel, seconds), "tcpcopy-deadline");
            watchdog.setDaemon(true);
            watchdog.start();
            long size = source.size();
            ByteBuffer header = ByteBuffer.allocate(Long.BYTES).putLong(size).flip();
            String stoppedBy = "done";
            long sent = 0;
            try {
                while (header.hasRemaining()) {
                    channel.write(header);
                }
                while (sent < size) {
                    sent += source.transferTo(sent, Math.min(BUFFER * 16L, size - sent), channel);
                }
                channel.shutdownOutput();
                // Wait for the server to close: then everything sent has been received and counted.
                if (channel.read(ByteBuffer.allocate(1)) >= 0) {
                    throw new IOException("unexpected data from the server");
                }
            } catch (AsynchronousCloseException e) {
                stoppedBy = "deadline";
            } catch (IOException e) {
                // The server resets the connection when its own deadline passes first.
                stoppedBy = "server: " + e.getMessage();
            }
            System.out.println(String.format(Locale.ROOT, "{\"sent\":%d,\"seconds\":%.3f,\"stoppedBy\":\"%s\"}", sent,
                    (System.nanoTime() - start) / 1e9, stoppedBy.replace('"', '\'')));
        }
    }

    private static void closeAfter(SocketChannel channel, double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            System.err.println("tcpcopy: closing at the deadline: " + e);
        }
    }

    /** The command line: a mode and its flags. */
    private record Args(String mode, InetSocketAddress address, Path file, double seconds, String congestion) {
        static Args parse(String[] args) {
            if (args.length == 0 || !(args[0].equals("server") || args[0].equals("client"))) {
                throw new IllegalArgumentException("usage: TcpCopy server --listen HOST:PORT --seconds N | "
                        + "client --to HOST:PORT --file FILE --seconds N [--congestion ALGORITHM]");
            }
            String mode = args[0];
            InetSocketAddress address = null;
            Path file = null;
            double seconds = 60;
            String congestion = null;
            for (int i = 1; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + ": missing value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--listen", "--to" -> address = hostPort(args[i], v);
                    case "--file" -> file = Path.of(v);
                    case "--seconds" -> seconds = positive(args[i], v);
                    case "--congestion" -> congestion = v;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (address == null || (mode.equals("client") && file == null)) {
                throw new IllegalArgumentException(mode.equals("server") ? "server needs --listen" : "client needs --to and --file");
            }
            return new Args(mode, address, file, seconds, congestion);
        }

        private static InetSocketAddress hostPort(String flag, String v) {
            int colon = v.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(flag + ": expected HOST:PORT, got '" + v + "'");
            }
            try {
                return new InetSocketAddress(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + ": bad port in '" + v + "'");
            }
        }

        private static double positive(String flag, String v) {
            try {
                double d = Double.parseDouble(v);
                if (d > 0) {
                    return d;
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + ": not a number: '" + v + "'");
            }
            throw new IllegalArgumentException(flag + ": must be positive, got '" + v + "'");
        }
    }
}
