package io.skyhaul.linkem;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.Buffer;

/**
 * The few C library calls the emulator needs that Java does not offer: TUN devices
 * ({@code open}, {@code ioctl(TUNSETIFF)}, {@code read}, {@code write}, {@code poll}), the
 * per-thread timer slack ({@code prctl}) and entering a network namespace ({@code setns}).
 *
 * <p>JNA direct mapping (static natives registered once) keeps each call to a few hundred
 * nanoseconds, cheap enough for one call per packet. Linux on a 64-bit CPU only: {@code size_t}
 * and {@code ssize_t} are mapped to Java {@code long}. Direct buffers are passed at their
 * current position. Errors are read with {@link #errno()} right after a call returns -1.
 */
final class LinuxLibc {

    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final short POLLIN = 0x1;
    /** {@code _IOW('T', 202, int)} from linux/if_tun.h. */
    static final long TUNSETIFF = 0x400454caL;
    static final short IFF_TUN = 0x0001;
    static final short IFF_NO_PI = 0x1000;
    /** Size of {@code struct ifreq} on 64-bit Linux; the name takes the first IFNAMSIZ bytes. */
    static final int IFREQ_BYTES = 40;
    static final int IFNAMSIZ = 16;
    static final int PR_SET_TIMERSLACK = 29;
    static final int CLONE_NEWNET = 0x40000000;

    static {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            throw new UnsupportedOperationException("linkem native calls need 64-bit Linux");
        }
        Native.register(LinuxLibc.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LinuxLibc() {
    }

    static native int open(String path, int flags);

    static native int close(int fd);

    static native int ioctl(int fd, long request, Pointer argument);

    static native long read(int fd, Buffer buffer, long count);

    static native long write(int fd, Buffer buffer, long count);

    static native int poll(Pointer fds, long count, int timeoutMillis);

    static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    static native int setns(int fd, int nstype);

    static native String strerror(int errnum);

    static int errno() {
        return Native.getLastError();
    }

    /** "TUNSETIFF failed: Device or resource busy (errno 16)" style text for exceptions. */
    static String describe(String call, int errno) {
        return call + " failed: " + strerror(errno) + " (errno " + errno + ")";
    }
}
