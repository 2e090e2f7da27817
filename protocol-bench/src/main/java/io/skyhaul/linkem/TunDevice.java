package io.skyhaul.linkem;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TUN device (IP packets, no packet-information header), opened through
 * {@code /dev/net/tun} and {@code ioctl(TUNSETIFF)}. The device exists for as long as this
 * descriptor is open, in whatever namespace it was moved to, and disappears when it is closed
 * (or when the process dies), so a crash leaves no device behind.
 *
 * <p>The descriptor is non-blocking: {@link #read} returns 0 when no packet is waiting and
 * {@link #awaitReadable} waits with a timeout, so reader threads notice a close promptly.
 */
final class TunDevice implements AutoCloseable {

    private static final String CLONE_DEVICE = "/dev/net/tun";

    private final String name;
    private final Memory pollFd = new Memory(8);
    private volatile int fd;

    private TunDevice(String name, int fd) {
        this.name = name;
        this.fd = fd;
        pollFd.setInt(0, fd);
        pollFd.setShort(4, LinuxLibc.POLLIN);
        pollFd.setShort(6, (short) 0);
    }

    /** Creates the device {@code name} in the calling thread's network namespace. */
    static TunDevice open(String name) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= LinuxLibc.IFNAMSIZ) {
            throw new IllegalArgumentException("TUN device name must have 1 to 15 characters: '" + name + "'");
        }
        int fd = LinuxLibc.open(CLONE_DEVICE, LinuxLibc.O_RDWR | LinuxLibc.O_NONBLOCK | LinuxLibc.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException(LinuxLibc.describe("open(" + CLONE_DEVICE + ")", LinuxLibc.errno()));
        }
        Memory ifreq = new Memory(LinuxLibc.IFREQ_BYTES);
        ifreq.clear();
        ifreq.write(0, nameBytes, 0, nameBytes.length);
        ifreq.setShort(LinuxLibc.IFNAMSIZ, (short) (LinuxLibc.IFF_TUN | LinuxLibc.IFF_NO_PI));
        if (LinuxLibc.ioctl(fd, LinuxLibc.TUNSETIFF, ifreq) < 0) {
            int errno = LinuxLibc.errno();
            LinuxLibc.close(fd);
            throw new IOException(LinuxLibc.describe("ioctl(TUNSETIFF, " + name + ")", errno));
        }
        return new TunDevice(ifreq.getString(0, StandardCharsets.US_ASCII.name()), fd);
    }

    String name() {
        return name;
    }

    /**
     * Reads one packet into {@code buffer} from position 0; on return the buffer's limit is the
     * packet's end.
     *
     * @return the packet length, or 0 when none is waiting
     */
    int read(ByteBuffer buffer) throws IOException {
        buffer.clear();
        long n = LinuxLibc.read(requireOpen(), buffer, buffer.capacity());
        if (n < 0) {
            int errno = LinuxLibc.errno();
            if (errno == LinuxLibc.EAGAIN || errno == LinuxLibc.EINTR) {
                buffer.limit(0);
                return 0;
            }
            throw new IOException(LinuxLibc.describe("read(" + name + ")", errno));
        }
        buffer.limit((int) n);
        return (int) n;
    }

    /** Waits up to {@code timeoutMillis} for a packet to read. */
    boolean awaitReadable(int timeoutMillis) throws IOException {
        requireOpen();
        pollFd.setShort(6, (short) 0);
        int rc = LinuxLibc.poll(pollFd, 1, timeoutMillis);
        if (rc < 0) {
            int errno = LinuxLibc.errno();
            if (errno == LinuxLibc.EINTR) {
                return false;
            }
            throw new IOException(LinuxLibc.describe("poll(" + name + ")", errno));
        }
        return rc > 0;
    }

    /** Injects the packet between position and limit into the device's network stack. */
    void write(ByteBuffer packet) throws IOException {
        int length = packet.remaining();
        long n = LinuxLibc.write(requireOpen(), packet, length);
        if (n < 0) {
            throw new IOException(LinuxLibc.describe("write(" + name + ")", LinuxLibc.errno()));
        }
        packet.position(packet.position() + (int) n);
    }

    /**
     * Closes the descriptor, which removes the device. Callers stop the threads using it first,
     * so the number cannot be reused by another file while a read is still in progress.
     */
    @Override
    public synchronized void close() throws IOException {
        int current = fd;
        if (current < 0) {
            return;
        }
        fd = -1;
        if (LinuxLibc.close(current) < 0) {
            throw new IOException(LinuxLibc.describe("close(" + name + ")", LinuxLibc.errno()));
        }
    }

    private int requireOpen() throws IOException {
        int current = fd;
        if (current < 0) {
            throw new IOException("TUN device " + name + " is closed");
        }
        return current;
    }
}
