package io.skyhaul.bench;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Chooses a TCP socket's congestion control ({@code setsockopt(TCP_CONGESTION)}), which Java has
 * no option for. Needed because Linux lets a network namespace other than the first make only the
 * algorithms in {@code net.ipv4.tcp_allowed_congestion_control} its default, while a privileged
 * process may give any available algorithm to one socket — and changing the allowed list would
 * change the whole host. The socket's descriptor comes from the JDK's {@code sun.nio.ch.SelChImpl},
 * so the JVM needs {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}.
 */
final class TcpCongestion {
    static final String JVM_FLAG = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_CONGESTION = 13;

    static {
        Native.register(TcpCongestion.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private TcpCongestion() {
    }

    private static native int setsockopt(int fd, int level, int option, byte[] value, int length);

    /** Gives {@code channel}'s socket the congestion control {@code algorithm} (e.g. {@code bbr}, {@code cubic}). */
    static void set(SocketChannel channel, String algorithm) throws IOException {
        int fd = descriptor(channel);
        byte[] name = algorithm.getBytes(StandardCharsets.US_ASCII);
        if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, name.length) != 0) {
            throw new IOException("setsockopt(TCP_CONGESTION, " + algorithm + ") failed: errno " + Native.getLastError());
        }
    }

    private static int descriptor(SocketChannel channel) throws IOException {
        try {
            return (int) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(channel);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new IOException("cannot get the socket's descriptor (run the JVM with " + JVM_FLAG + "): " + e, e);
        }
    }
}
