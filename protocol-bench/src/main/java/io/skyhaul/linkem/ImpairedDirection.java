package io.skyhaul.linkem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of an emulated link: the single place where the impairment model is applied,
 * shared by the UDP relay and the TUN link.
 *
 * <p>Receive threads call {@link #offer}, which in order applies random loss, the drop-tail
 * bottleneck, delay with jitter, duplication and reordering, and parks a copy of the packet in
 * the {@link DelayLine}. One delivery thread per direction sleeps until the next packet is due
 * and hands it to its {@link PacketSink}. Every sender of the direction goes through the same
 * bottleneck, so concurrent flows compete for one rate and one queue, as on a real link.
 *
 * <p>All model decisions are made under one lock with one seeded random generator, so a run is
 * reproducible for the same arrival order. The lock is held for well under a microsecond.
 */
final class ImpairedDirection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImpairedDirection.class);
    private static final long SEND_ERROR_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final SplittableRandom random;
    private final LossModel loss;
    private final BottleneckQueue bottleneck;
    private final DelayLine delayLine;
    private final PacketPool pool;
    private final double duplicateProbability;
    private final int wireOverheadBytes;
    private final DirectionCounters counters = new DirectionCounters();
    private final Thread deliveryThread;
    private volatile boolean closed;

    /**
     * @param name              direction name for stats and logs, e.g. "client->target"
     * @param wireOverheadBytes bytes the network adds to each packet handed to {@link #offer}
     *                          (IP and UDP headers for the relay, 0 for IP packets), counted
     *                          against the bottleneck rate and queue so that a rate means the same
     *                          IP-level capacity in both modes
     * @param threadName        name of the delivery thread
     */
    ImpairedDirection(String name, LinkProfile profile, SplittableRandom random, int wireOverheadBytes,
                      String threadName) {
        this.name = name;
        this.random = random;
        this.loss = profile.newLossModel();
        this.bottleneck = new BottleneckQueue(profile.rateBitsPerSecond(), profile.queueBytes());
        this.delayLine = new DelayLine(profile);
        this.pool = new PacketPool(LinkDefaults.MAX_IN_FLIGHT_BYTES);
        this.duplicateProbability = profile.duplicateProbability();
        this.wireOverheadBytes = wireOverheadBytes;
        this.deliveryThread = new Thread(this::deliverUntilClosed, threadName);
        this.deliveryThread.setDaemon(true);
    }

    void start() {
        deliveryThread.start();
    }

    /**
     * Passes a packet (the bytes between position and limit, left unchanged) into the link. The
     * bytes are copied, so the caller may reuse its buffer at once.
     */
    void offer(ByteBuffer packet, PacketSink sink) {
        if (closed) {
            return;
        }
        int length = packet.remaining();
        boolean wake;
        lock.lock();
        try {
            long now = System.nanoTime();
            counters.received.incrementAndGet();
            counters.receivedBytes.addAndGet(length);
            if (loss.drop(random)) {
                counters.droppedLoss.incrementAndGet();
                return;
            }
            Packet copy = pool.acquire(length);
            if (copy == null) {
                counters.droppedOverrun.incrementAndGet();
                return;
            }
            long departure = bottleneck.admit(length + wireOverheadBytes, now);
            if (departure == BottleneckQueue.REJECTED) {
                pool.release(copy);
                counters.droppedQueue.incrementAndGet();
                return;
            }
            copy.fill(packet, sink);
            wake = schedule(copy, departure);
            if (duplicateProbability > 0 && random.nextDouble() < duplicateProbability) {
                wake |= duplicate(packet, sink, departure);
            }
        } finally {
            lock.unlock();
        }
        if (wake) {
            LockSupport.unpark(deliveryThread);
        }
    }

    DirectionStats stats() {
        return counters.snapshot(name);
    }

    String name() {
        return name;
    }

    /** Stops the delivery thread and discards packets still in flight. Idempotent. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(deliveryThread);
        if (deliveryThread.isAlive() && Thread.currentThread() != deliveryThread) {
            try {
                deliveryThread.join(LinkDefaults.THREAD_JOIN_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (deliveryThread.isAlive()) {
                LOG.warn("{}: delivery thread {} did not stop within {}", name, deliveryThread.getName(),
                        LinkDefaults.THREAD_JOIN_TIMEOUT);
            }
        }
        lock.lock();
        try {
            delayLine.clear(pool::release);
        } finally {
            lock.unlock();
        }
    }

    boolean isDeliveryThreadAlive() {
        return deliveryThread.isAlive();
    }

    private boolean duplicate(ByteBuffer packet, PacketSink sink, long departure) {
        Packet twin = pool.acquire(packet.remaining());
        if (twin == null) {
            counters.droppedOverrun.incrementAndGet();
            return false;
        }
        twin.fill(packet, sink);
        counters.duplicated.incrementAndGet();
        return schedule(twin, departure);
    }

    /** @return true if the packet is now the first to deliver, so the delivery thread must wake */
    private boolean schedule(Packet packet, long departure) {
        if (delayLine.add(packet, departure, random)) {
            counters.reordered.incrementAndGet();
        }
        return delayLine.peek() == packet;
    }

    private void deliverUntilClosed() {
        TimerSlack.reduceForCurrentThread();
        Packet[] batch = new Packet[LinkDefaults.DELIVERY_BATCH];
        int batchSize = 0;
        long lastErrorLog = System.nanoTime() - SEND_ERROR_LOG_INTERVAL_NANOS;
        while (!closed) {
            long dueAt;
            lock.lock();
            try {
                for (int i = 0; i < batchSize; i++) {
                    pool.release(batch[i]);
                    batch[i] = null;
                }
                batchSize = 0;
                long now = System.nanoTime();
                Packet due;
                while (batchSize < batch.length && (due = delayLine.pollDue(now)) != null) {
                    batch[batchSize++] = due;
                }
                Packet next = batchSize == 0 ? delayLine.peek() : null;
                dueAt = next == null ? now + LinkDefaults.IDLE_PARK_NANOS : next.deliverAtNanos;
            } finally {
                lock.unlock();
            }
            if (batchSize > 0) {
                for (int i = 0; i < batchSize; i++) {
                    lastErrorLog = deliver(batch[i], lastErrorLog);
                }
            } else {
                waitUntil(dueAt);
            }
        }
        lock.lock();
        try {
            for (int i = 0; i < batchSize; i++) {
                pool.release(batch[i]);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Parks until shortly before the deadline, then spins the last few microseconds. Returns
     * early when {@link #offer} queues a packet that is due sooner.
     */
    private void waitUntil(long dueAt) {
        long remaining = dueAt - System.nanoTime();
        if (remaining > LinkDefaults.SPIN_THRESHOLD_NANOS) {
            LockSupport.parkNanos(this, remaining - LinkDefaults.SPIN_THRESHOLD_NANOS);
            return;
        }
        while (dueAt - System.nanoTime() > 0 && !closed) {
            Thread.onSpinWait();
        }
    }

    private long deliver(Packet packet, long lastErrorLog) {
        ByteBuffer payload = packet.payload();
        try {
            packet.sink.deliver(payload);
            counters.forwarded.incrementAndGet();
            counters.forwardedBytes.addAndGet(packet.length);
            return lastErrorLog;
        } catch (IOException e) {
            counters.sendErrors.incrementAndGet();
            long now = System.nanoTime();
            if (closed || e instanceof ClosedChannelException) {
                LOG.debug("{}: delivery to a closed destination: {}", name, e.toString());
            } else if (now - lastErrorLog >= SEND_ERROR_LOG_INTERVAL_NANOS) {
                LOG.warn("{}: delivery failed ({} send errors so far, logged at most every 10 s): {}", name,
                        counters.sendErrors.get(), e.toString());
                return now;
            }
            return lastErrorLog;
        }
    }
}
