package io.skyhaul.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The TCP sockets listening on this machine (Linux, from /proc/net/tcp and tcp6), so a test can
 * check that a server it started listens on loopback only.
 */
public final class ListeningSockets {
    private static final String LISTEN = "0A";

    public record Socket(InetAddress address, int port) {
    }

    private ListeningSockets() {
    }

    /** Every listening socket on one of {@code ports}, on any address. */
    public static List<Socket> ofPorts(Collection<Integer> ports) throws IOException {
        List<Socket> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[3].equals(LISTEN)) {
                    continue;
                }
                String[] local = f[1].split(":");
                int port = Integer.parseInt(local[1], 16);
                if (ports.contains(port)) {
                    out.add(new Socket(address(local[0]), port));
                }
            }
        }
        return out;
    }

    /** /proc prints each 32-bit word of the address in host (little-endian) order. */
    private static InetAddress address(String hex) throws UnknownHostException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
