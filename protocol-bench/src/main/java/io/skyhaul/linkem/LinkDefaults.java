package io.skyhaul.linkem;

import java.time.Duration;

/**
 * Every default and resource limit of the link emulator, in one place.
 *
 * <p>Link properties (delay, loss, rate...) default to "no impairment" so that a flag that is
 * not given never changes the link. Resource limits exist so that a mistyped flag or a runaway
 * sender degrades into counted drops instead of an out-of-memory error on a machine that is
 * shared with the sender and receiver under test.
 */
public final class LinkDefaults {

    /** One-way propagation delay when {@code --delay} is absent: none. */
    public static final long DELAY_NANOS = 0;

    /** Jitter when {@code --jitter} is absent: none. */
    public static final long JITTER_NANOS = 0;

    /** Bottleneck rate meaning "no bottleneck": packets leave as fast as they arrive. */
    public static final long RATE_UNLIMITED = 0;

    /**
     * Smallest default queue. A bandwidth-delay product on a short link is only a few packets,
     * which would turn every small burst into drops; real bottleneck buffers are never that small.
     */
    public static final long MIN_DEFAULT_QUEUE_BYTES = 64 * 1024;

    /**
     * Extra delay given to packets picked by {@code --reorder}: a few milliseconds, enough for a
     * handful of later packets to overtake them at typical benchmark rates.
     */
    public static final long REORDER_DELAY_NANOS = Duration.ofMillis(5).toNanos();

    /** Loss probability in the bad state of Gilbert-Elliott when the third value is absent. */
    public static final double BURST_LOSS_IN_BAD = 1.0;

    /** Socket buffer size requested for every relay socket (the kernel may grant less). */
    public static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    /** Largest datagram or IP packet the emulator accepts; bigger ones are truncated by the OS. */
    public static final int MAX_PACKET_BYTES = 65_536;

    /**
     * Memory the packets held inside one direction (queue plus delay line) may use. Beyond it
     * packets are dropped and counted as overrun: the emulator ran out of room, not the link.
     */
    public static final long MAX_IN_FLIGHT_BYTES = 256L * 1024 * 1024;

    /** Most client flows a UDP relay tracks at once; further clients are dropped and counted. */
    public static final int MAX_CLIENT_FLOWS = 1024;

    /** A client flow with no traffic in either direction for this long is closed. */
    public static final Duration CLIENT_IDLE_TIMEOUT = Duration.ofSeconds(120);

    /**
     * Below this much remaining wait the delivery thread spins instead of parking: parking
     * overshoots by tens of microseconds. Kept under 50 µs so a spin never burns a core for long.
     */
    public static final long SPIN_THRESHOLD_NANOS = 25_000;

    /** Timer slack asked for on delivery threads (Linux default is 50 µs). */
    public static final long DELIVERY_TIMER_SLACK_NANOS = 1_000;

    /** How long an idle delivery thread parks before re-checking whether it was closed. */
    public static final long IDLE_PARK_NANOS = Duration.ofMillis(50).toNanos();

    /** Most packets a delivery thread takes from the delay line per lock acquisition. */
    public static final int DELIVERY_BATCH = 64;

    /** How long a TUN reader waits for a packet before re-checking whether it was closed. */
    public static final int TUN_POLL_TIMEOUT_MILLIS = 100;

    /** Upper bound for one {@code ip} command; it normally takes a few milliseconds. */
    public static final Duration IP_COMMAND_TIMEOUT = Duration.ofSeconds(10);

    /** How long close() waits for each emulator thread to finish. */
    public static final Duration THREAD_JOIN_TIMEOUT = Duration.ofSeconds(5);

    private LinkDefaults() {
    }
}
